#!/usr/bin/env bash
# ./run.sh — install what is missing, build, create a demo database if none, and serve
# http://127.0.0.1:8080 (override with TONGHU_PORT, TONGHU_DATABASE, TONGHU_DATA_DIR).
set -euo pipefail
cd "$(dirname "$0")"
source scripts/deps.sh

th_install_missing "${TH_APT_BUILD[@]}"
th_install_node
th_build_web
th_build_cpp build tonghu   # only what it runs (./test.sh builds the tests)

DATA_DIR="${TONGHU_DATA_DIR:-data}"
PORT="${TONGHU_PORT:-8080}"
if [ -z "${TONGHU_DATABASE:-}" ] && [ ! -f "$DATA_DIR/tonghu.db" ]; then
  echo "==> 创建演示数据库 / creating the demo database in $DATA_DIR/tonghu.db"
  ./build/src/app/tonghu demo --data-dir "$DATA_DIR"
fi

cat <<INFO

  童护 · 未成年人保护平台   http://127.0.0.1:${PORT}

  演示账号 / demo logins (password 密码: Demo@2026tonghu)
    admin       系统管理员           龙岗区
    district    区民政/未保中心      龙岗区
    supervisor  街道儿童督导员       布吉街道
    director    社区儿童主任         布吉街道 · 第一个社区
    director2   社区儿童主任         坂田街道 · 第一个社区
    grid        网格员               布吉街道 · 第一个网格
    social      社工                 布吉街道
    liaison     成员单位联络员       龙岗区教育局
    leader      领导(只读)           龙岗区
    school      强制报告责任人       布吉街道 · 第一个社区的小学
    hospital    强制报告责任人       布吉人民医院

INFO
exec ./build/src/app/tonghu serve --data-dir "$DATA_DIR" --port "$PORT" --static-dir web/dist
