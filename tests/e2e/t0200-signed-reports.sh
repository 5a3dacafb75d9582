#!/bin/sh
# Reports of drill A: both signatures check with the independent
# verifiers and with 'failproof verify', the PDF reads back with the
# verdict and MTTR, and one changed byte of signed content is rejected by
# all three.
. "$(dirname "$0")/lib.sh"

ws=$TMP/ws
drill=$DATA/drills/A-dataplane-failover
make_signer
run=$(setup_drill "$ws" "$drill" 2) && ok "drill imports" || not_ok "drill imports"
fp -q -C "$ws" evaluate "$run"
check_status "report is issued" 0 fp -C "$ws" report "$run" \
    --xml "$TMP/report.xml" --pdf "$TMP/report.pdf" \
    --key "$TMP/key.pem" --cert "$TMP/cert.pem"

sig=$(pdfsig -no-ocsp "$TMP/report.pdf" 2>&1)
check_contains "pdfsig: signature valid" "$sig" "Signature is Valid"
check_contains "pdfsig: whole document signed" "$sig" "Total document signed"
check_contains "pdfsig: detached CMS" "$sig" "adbe.pkcs7.detached"
check_status "xmlsec1 verifies the XML" 0 \
    xmlsec1 --verify --trusted-pem "$TMP/cert.pem" "$TMP/report.xml"
check_status "xmllint: XML matches report.xsd" 0 \
    xmllint --noout --schema "$TESTS_DIR/../schema/report.xsd" "$TMP/report.xml"
check_status "failproof verify accepts both" 0 \
    fp -C "$ws" verify "$TMP/report.pdf" "$TMP/report.xml"

text=$(pdftotext "$TMP/report.pdf" - 2>/dev/null)
check_contains "PDF text shows the verdict" "$text" "Verdict: pass"
check_contains "PDF text shows MTTR" "$text" "MTTR: 3.084 s"
check_contains "PDF text lists the evidence hash" "$text" \
    "$(sha256sum "$drill/lan.ping.txt" | cut -c1-16)"

# The report commit and tag are in the workspace's git history.
check_eq "report tag exists" "$(git -C "$ws" tag -l "run-$run-report-1")" \
    "run-$run-report-1"
check_eq "workspace branch is main" \
    "$(git -C "$ws" symbolic-ref --short HEAD)" main
check_eq "report archived in the tagged commit" \
    "$(git -C "$ws" show "run-$run-report-1:runs/run-000$run/reports/run-$run-report-1.pdf" | sha256sum | cut -d' ' -f1)" \
    "$(sha256sum "$TMP/report.pdf" | cut -d' ' -f1)"

# One byte changed inside the first stream (the first page's content,
# compressed), well inside the signed range.
cp "$TMP/report.pdf" "$TMP/tampered.pdf"
offset=$(grep -a -b -o 'stream' "$TMP/tampered.pdf" | head -n 1 | cut -d: -f1)
byte=$(dd if="$TMP/tampered.pdf" bs=1 skip=$((offset + 20)) count=1 2>/dev/null | od -An -tu1 | tr -d ' ')
printf "\\$(printf '%03o' $(( (byte + 1) % 256 )))" |
    dd of="$TMP/tampered.pdf" bs=1 seek=$((offset + 20)) conv=notrunc 2>/dev/null
if cmp -s "$TMP/report.pdf" "$TMP/tampered.pdf"; then
	not_ok "one byte of the page stream was changed"
else
	ok "one byte of the page stream was changed"
fi
sig=$(pdfsig -no-ocsp "$TMP/tampered.pdf" 2>&1)
case $sig in
*"Signature is Valid"*) not_ok "pdfsig rejects a changed page" "$sig" ;;
*) ok "pdfsig rejects a changed page" ;;
esac
check_status "failproof verify rejects a changed page" 3 \
    fp verify "$TMP/tampered.pdf"

sed 's/verdict value="pass"/verdict value="state-drift"/' \
    "$TMP/report.xml" >"$TMP/tampered.xml"
if cmp -s "$TMP/report.xml" "$TMP/tampered.xml"; then
	not_ok "XML verdict was changed for the tamper test"
else
	ok "XML verdict was changed for the tamper test"
fi
check_status "xmlsec1 rejects a changed value" 1 \
    xmlsec1 --verify --trusted-pem "$TMP/cert.pem" "$TMP/tampered.xml"
check_status "failproof verify rejects a changed value" 3 \
    fp verify "$TMP/tampered.xml"

# Unsigned content slipped into the signature element is rejected even
# though the signed references still match.
sed 's|</ds:Signature>|<ds:Object><note>verdict overridden: FAIL</note></ds:Object></ds:Signature>|' \
    "$TMP/report.xml" >"$TMP/object.xml"
check_status "unsigned ds:Object in the signature is rejected" 3 \
    fp verify "$TMP/object.xml"
check_contains "the unexpected element is named" "$(cat "$TMP/err")" "Object"

# The evidence check reads the report's own list, not the store: a lost
# index changes nothing, and another workspace does not hold the commit.
cp "$ws/.failproof/store.db" "$TMP/store.db.saved"
sqlite3 "$ws/.failproof/store.db" 'DELETE FROM evaluation; DELETE FROM report'
check_status "verify does not depend on the store" 0 \
    fp -C "$ws" verify "$TMP/report.pdf" "$TMP/report.xml"
check_contains "every cited file is checked" "$(cat "$TMP/out")" \
    "all 6 cited files match"
cp "$TMP/store.db.saved" "$ws/.failproof/store.db"
fp -q init "$TMP/other"
check_status "verify in another workspace fails" 3 \
    fp -C "$TMP/other" verify "$TMP/report.pdf"
check_contains "the missing commit is named" "$(cat "$TMP/err")" "not in"
check_status "verify of the XML in another workspace fails" 3 \
    fp -C "$TMP/other" verify "$TMP/report.xml"
check_status "verify outside a workspace checks signatures only" 0 \
    fp -C "$TMP/nowhere" verify "$TMP/report.pdf"
check_contains "and says the evidence was not checked" "$(cat "$TMP/out")" \
    "evidence not checked"

# Hard cases from public bug reports.
check_status "unsigned update after the signature is rejected" 3 \
    fp verify "$DATA/cases/23-pdf-signature-not-whole-file.input.pdf"
check_contains "the unsigned update is named" "$(cat "$TMP/err")" "unsigned"
check_status "XML reformatted after signing is rejected" 3 \
    fp verify "$DATA/cases/24-xmldsig-reformatted-after-signing.input.xml"

finish
