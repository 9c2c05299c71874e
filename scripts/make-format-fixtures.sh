#!/usr/bin/env bash
# Regenerates the format fixtures in tests/fixtures/formats/ from the Markdown sources in
# tests/fixtures/formats/src/. Needs pandoc, LibreOffice Writer (soffice), qpdf and python3
# (Debian: apt-get install pandoc libreoffice-writer qpdf python3). The generated files are
# committed, so the tests do not need these programs.
#
#   beslut.{docx,odt,pdf,html}  the same document as src/beslut.md, for the same-findings test
#   andringar.docx              tracked changes (an insertion, a deletion), a comment, a field
#                               code and a header with the Dnr, made by editing pandoc's XML
#   inskannad.pdf               a page with only an image: no text layer
#   zipbomb.docx                a document.xml of 250 MB of spaces, about 250 kB compressed
#   krypterad.pdf               needs the password "hemligt"
#   krypterad.odt               an ODF package whose manifest says its parts are encrypted
#   lognerska.docx              a PDF with a .docx extension
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../tests/fixtures/formats"
for tool in pandoc soffice qpdf python3; do
  command -v "$tool" >/dev/null || { echo "saknar $tool" >&2; exit 1; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
office() { soffice --headless -env:UserInstallation="file://$work/lo" "$@" >/dev/null 2>&1; }

# The same document in every format.
pandoc src/beslut.md -f markdown -t docx -o beslut.docx
office --convert-to odt --outdir . beslut.docx
office --convert-to pdf --outdir . beslut.docx
office --convert-to 'html:HTML (StarWriter)' --outdir "$work" beslut.docx
mv "$work/beslut.html" beslut.html

# Tracked changes, a comment, a field code and a header with the Dnr.
pandoc src/andringar.md -f markdown -t docx -o "$work/andringar.docx"
python3 - "$work/andringar.docx" andringar.docx <<'PY'
import re, sys, zipfile
src, dst = sys.argv[1], sys.argv[2]
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
zin = zipfile.ZipFile(src)
parts = {n: zin.read(n) for n in zin.namelist()}
doc = parts['word/document.xml'].decode()
old = 'bevilja bidrag till tre föreningar.'
assert old in doc, 'pandoc output changed'
new = ('</w:t></w:r>'
       '<w:del w:id="90" w:author="Handläggare" w:date="2025-03-01T10:00:00Z"><w:r><w:delText>avslå ansökningar från</w:delText></w:r></w:del>'
       '<w:ins w:id="91" w:author="Handläggare" w:date="2025-03-01T10:00:00Z"><w:r><w:t xml:space="preserve">bevilja bidrag till</w:t></w:r></w:ins>'
       '<w:commentRangeStart w:id="0"/><w:r><w:t xml:space="preserve"> tre föreningar</w:t></w:r><w:commentRangeEnd w:id="0"/>'
       '<w:r><w:commentReference w:id="0"/></w:r>'
       '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> DOCPROPERTY Avdelning </w:instrText></w:r>'
       '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>'
       '<w:r><w:t xml:space="preserve">.')
doc = doc.replace(old, new, 1)
doc = re.sub(r'<w:sectPr([^>]*)>', r'<w:sectPr\1><w:headerReference w:type="default" r:id="rIdHdr1"/>', doc, count=1)
if R not in doc:
    doc = doc.replace(W, W + ' ' + R, 1)
parts['word/document.xml'] = doc.encode()
parts['word/header1.xml'] = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    f'<w:hdr {W}><w:p><w:r><w:t>Kultur- och fritidsnämnden</w:t></w:r><w:r><w:tab/></w:r>'
    '<w:r><w:t>Dnr KFN 2025/77</w:t></w:r></w:p>'
    '<w:p><w:r><w:t xml:space="preserve">Sida </w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
    '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>'
    '<w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p></w:hdr>').encode()
parts['word/comments.xml'] = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    f'<w:comments {W}><w:comment w:id="0" w:author="Granskare"><w:p><w:r><w:t>Handikappade ska inte stå här</w:t></w:r></w:p></w:comment></w:comments>').encode()
rels = parts['word/_rels/document.xml.rels'].decode()
rels = rels.replace('</Relationships>',
    '<Relationship Id="rIdHdr1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/>'
    '<Relationship Id="rIdCmt1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments" Target="comments.xml"/>'
    '</Relationships>')
parts['word/_rels/document.xml.rels'] = rels.encode()
ct = parts['[Content_Types].xml'].decode()
ct = ct.replace('</Types>',
    '<Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>'
    '<Override PartName="/word/comments.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"/>'
    '</Types>')
parts['[Content_Types].xml'] = ct.encode()
with zipfile.ZipFile(dst, 'w', zipfile.ZIP_DEFLATED) as z:
    for n, data in parts.items():
        z.writestr(n, data)
PY

# A scanned-looking PDF: one page with a grey noise image and no text.
python3 - "$work/skanning.png" <<'PY'
import random, struct, sys, zlib
random.seed(4)
w, h = 400, 560
raw = b''.join(b'\x00' + bytes(random.randint(180, 255) for _ in range(w)) for _ in range(h))
def chunk(t, d):
    return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d) & 0xffffffff)
png = b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 0, 0, 0, 0)) + chunk(b'IDAT', zlib.compress(raw)) + chunk(b'IEND', b'')
open(sys.argv[1], 'wb').write(png)
PY
printf '![](%s){width=15cm}\n' "$work/skanning.png" > "$work/inskannad.md"
pandoc "$work/inskannad.md" -t docx -o "$work/inskannad.docx"
office --convert-to pdf --outdir . "$work/inskannad.docx"

# A zip bomb: a Word file whose document.xml is 250 MB of spaces.
python3 - zipbomb.docx <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED, compresslevel=9) as z:
    z.writestr('[Content_Types].xml', '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
    with z.open('word/document.xml', 'w', force_zip64=True) as f:
        f.write(b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>')
        block = b' ' * (1 << 20)
        for _ in range(250):
            f.write(block)
        f.write(b'</w:body></w:document>')
PY

# Encrypted files.
qpdf --encrypt hemligt hemligt 256 -- beslut.pdf krypterad.pdf
python3 - beslut.odt krypterad.odt <<'PY'
import sys, zipfile
zin = zipfile.ZipFile(sys.argv[1])
with zipfile.ZipFile(sys.argv[2], 'w') as z:
    for info in zin.infolist():
        data = zin.read(info.filename)
        if info.filename == 'META-INF/manifest.xml':
            data = data.decode().replace(
                'manifest:full-path="content.xml" manifest:media-type="text/xml"/>',
                'manifest:full-path="content.xml" manifest:media-type="text/xml"><manifest:encryption-data manifest:checksum-type="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0#sha256-1k" manifest:checksum="AAAA"><manifest:algorithm manifest:algorithm-name="http://www.w3.org/2001/04/xmlenc#aes256-cbc" manifest:initialisation-vector="AAAA"/><manifest:key-derivation manifest:key-derivation-name="PBKDF2" manifest:key-size="32" manifest:iteration-count="100000" manifest:salt="AAAA"/></manifest:encryption-data></manifest:file-entry>').encode()
            assert b'encryption-data' in data, 'manifest layout changed'
        if info.filename == 'content.xml':
            data = bytes((b * 7 + 3) & 0xff for b in data)  # what encrypted bytes look like
        z.writestr(info, data, compress_type=zipfile.ZIP_STORED if info.filename == 'mimetype' else zipfile.ZIP_DEFLATED)
PY

# A lying extension.
cp beslut.pdf lognerska.docx
ls -l
