#!/usr/bin/env python3
"""Issue 9 item 7: server memory during import previews of hostile uploads.

Builds the review's files (an 8 KB XLSX with cells A1 and XFD1 then 1,200 one-cell rows; a 7.9 MB
CSV of 1,000,000 columns) and two legitimate ones (a 5,000-row XLSX and CSV of the import
template's shape), starts a server on a fresh demo database per case, posts one preview, then four
at once, and reads the server's VmRSS / VmHWM from /proc before and after.

  bench/hygiene/upload_memory.py <tonghu binary> <port> [work dir] [case,case...]
Run from the repository root (the server reads config/ from there).
"""
import concurrent.futures
import io
import sys
import zipfile

from common import Server, Session

NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main'
REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships'
XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'


def xlsx(sheet_data):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, 'w', zipfile.ZIP_DEFLATED) as z:
        z.writestr('[Content_Types].xml',
                   '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                   '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
        z.writestr('_rels/.rels', '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr('xl/workbook.xml', f'<?xml version="1.0"?><workbook xmlns="{NS}" xmlns:r="{REL}"><sheets>'
                   '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr('xl/_rels/workbook.xml.rels', '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
        z.writestr('xl/worksheets/sheet1.xml', f'<?xml version="1.0"?><worksheet xmlns="{NS}"><sheetData>{sheet_data}</sheetData></worksheet>')
    return buf.getvalue()


def wide_sparse_xlsx(rows=1200):
    data = ['<row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c><c r="XFD1" t="inlineStr"><is><t>x</t></is></c></row>']
    data += [f'<row r="{i}"><c r="A{i}"><v>1</v></c></row>' for i in range(2, rows + 2)]
    return xlsx(''.join(data))


HEADER = ['姓名', '性别', '出生日期', '身份证号', '户籍地址', '现住址', '社区', '父亲姓名', '父亲状态', '母亲姓名', '母亲状态',
          '监护人姓名', '监护人关系', '监护人电话']


def legit_rows(n):
    return [[f'张{i}', '男', '2015-03-02', f'44030720150302{i % 1000:03d}X', '四川省南充市某县某镇', '布吉街道某小区',
             '布吉社区', '张父', '外出务工', '李母', '在家', '李母', '母亲', '13800001111'] for i in range(n)]


def legit_xlsx(n=5000):
    def cell(v):
        return f'<c t="inlineStr"><is><t>{v}</t></is></c>'
    rows = [HEADER] + legit_rows(n)
    return xlsx(''.join(f'<row r="{i + 1}">' + ''.join(cell(v) for v in r) + '</row>' for i, r in enumerate(rows)))


def legit_csv(n=5000):
    return ('\n'.join(','.join(r) for r in [HEADER] + legit_rows(n)) + '\n').encode()


def max_width_sparse_xlsx(rows=200_000, cols=256):
    """The widest header the caps allow, then one-cell rows: each row pads to 256 strings."""
    head = '<row r="1">' + ''.join(f'<c t="inlineStr"><is><t>h{c}</t></is></c>' for c in range(cols)) + '</row>'
    return xlsx(head + ''.join(f'<row r="{i}"><c r="A{i}"><v>1</v></c></row>' for i in range(2, rows + 2)))


def max_width_sparse_csv(rows=200_000, cols=256):
    return (','.join(f'h{c}' for c in range(cols)) + '\n' + '1\n' * rows).encode()


def wide_csv(cols=1_000_000):
    return (','.join(f'c{i}' for i in range(cols)) + '\n1\n').encode()  # 7.9 MB as in the review


def run_case(binary, port, work, name, body, ctype):
    srv = Server(binary, port, f'{work}/{name}')
    try:
        s = Session(port, 'director')
        base = srv.status()
        srv.reset_peak()
        status, data, _ = s.call('POST', '/api/v1/children/import/preview', body, ctype)
        one = srv.status()
        srv.reset_peak()
        with concurrent.futures.ThreadPoolExecutor(4) as ex:
            four = list(ex.map(lambda _: s.call('POST', '/api/v1/children/import/preview', body, ctype), range(4)))
        after4 = srv.status()
        return {
            'case': name, 'file_bytes': len(body), 'status': status, 'answer_bytes': len(data),
            'code': (data[:120].decode(errors='replace') if status >= 400 else ''),
            'rss_before_mb': round(base['VmRSS']), 'peak_one_mb': round(one['VmHWM']),
            'extra_one_mb': round(one['VmHWM'] - base['VmRSS']),
            'peak_four_mb': round(after4['VmHWM']), 'four_status': sorted({f[0] for f in four}),
        }
    finally:
        srv.stop()


def main():
    binary, port = sys.argv[1], int(sys.argv[2])
    work = sys.argv[3] if len(sys.argv) > 3 else '/tmp/hygiene/bench-upload'
    only = set(sys.argv[4].split(',')) if len(sys.argv) > 4 else None
    cases = [
        ('xlsx_A1_XFD1_1200_rows', wide_sparse_xlsx(), XLSX_TYPE),
        ('csv_1000000_columns', wide_csv(), 'text/csv'),
        ('xlsx_legit_5000_rows', legit_xlsx(), XLSX_TYPE),
        ('csv_legit_5000_rows', legit_csv(), 'text/csv'),
        ('xlsx_256_columns_200000_sparse_rows', max_width_sparse_xlsx(), XLSX_TYPE),
        ('csv_256_columns_200000_short_rows', max_width_sparse_csv(), 'text/csv'),
    ]
    if only:
        cases = [c for c in cases if c[0] in only]
    print('| case | file | status | answer | RSS before | peak, one preview | extra | peak, four at once | four: status |')
    print('|---|---|---|---|---|---|---|---|---|')
    for name, body, ctype in cases:
        r = run_case(binary, port, work, name, body, ctype)
        print(f"| {r['case']} | {r['file_bytes'] / 1024:.0f} KB | {r['status']} | {r['answer_bytes'] / 1024:.0f} KB | "
              f"{r['rss_before_mb']} MB | {r['peak_one_mb']} MB | {r['extra_one_mb']} MB | {r['peak_four_mb']} MB | "
              f"{','.join(map(str, r['four_status']))} |", flush=True)


if __name__ == '__main__':
    main()
