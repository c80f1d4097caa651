#!/usr/bin/env bash
# Compares th_http with nginx serving the same bytes on loopback, in one run (ratios matter;
# absolute numbers drift on shared machines). Needs wrk and nginx-light.
#   src/http/bench_http.sh [build_dir] [static_dir]
# Prints the machine, the commands, and Requests/sec + p99 per URL for both servers.
set -euo pipefail
build=${1:-build-http}
dist=${2:-web/dist}
ours_port=18380
nginx_port=18381
conns=${CONNS:-64}
secs=${SECS:-8}
work=$(mktemp -d)
chmod 755 "$work"  # nginx workers run as an unprivileged user and must read the copy
trap 'kill "$ours_pid" 2>/dev/null || true; [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true; rm -rf "$work"' EXIT

snap="$work/dist"
cp -r "$dist" "$snap"  # a frozen copy: a concurrent vite build must not change the bytes
asset=$(cd "$snap" && ls -S assets/*.js | sed -n 3p)   # a mid-sized hashed bundle

mkdir -p "$work/tmp"
cat > "$work/nginx.conf" <<NGINX
worker_processes 2;
pid $work/nginx.pid;
error_log $work/error.log warn;
events { worker_connections 4096; }
http {
  include /etc/nginx/mime.types;
  access_log off;
  sendfile on; tcp_nopush on; tcp_nodelay on;
  keepalive_requests 1000000;
  client_body_temp_path $work/tmp; proxy_temp_path $work/tmp; fastcgi_temp_path $work/tmp;
  uwsgi_temp_path $work/tmp; scgi_temp_path $work/tmp;
  server {
    listen 127.0.0.1:$nginx_port;
    root $snap;
    location / { try_files \$uri /index.html; }
    location = /api/ping { default_type application/json; return 200 '{"ok":true}'; }
  }
}
NGINX
nginx -c "$work/nginx.conf"
"$build/src/http/http_bench_server" "$snap" "$ours_port" > "$work/ours.log" 2>&1 &
ours_pid=$!
sleep 0.5

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(uname -sr)"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for url in /api/ping /index.html "/$asset" /users/5; do
  for side in ours nginx; do
    port=$ours_port; [ "$side" = nginx ] && port=$nginx_port
    cmd="wrk -t2 -c$conns -d${secs}s --latency http://127.0.0.1:$port$url"
    out=$($cmd)
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    p99=$(awk '$1=="99%" {print $2}' <<<"$out")
    bad=$(awk '/Non-2xx/ {print "  NON-2xx: " $NF}' <<<"$out")
    printf '%-6s %-32s %10s req/s  p99 %-8s%s  (%s)\n' "$side" "$url" "$rps" "$p99" "$bad" "$cmd"
  done
done
