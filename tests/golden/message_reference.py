#!/usr/bin/env python3
"""Writes the reference reading of each test message, by Python's standard `email` package
(policy=default), for the message parser's golden test (tests/unit/message/golden_test.cpp).

    tests/golden/message_reference.py tests/data/eml tests/data/eml-expected

One text file per message, `<folder>/<name>.txt`, one field per line, reviewed as text:

    subject: the decoded Subject
    from: the first From address (addr-spec)
    message-id: the normalised Message-ID
    date-utc: the Date in UTC (YYYY-MM-DDTHH:MM:SSZ), or "-" when missing or unparseable
    attachment: SHA-256 of the decoded content, then the decoded file name ("" when unnamed)

Where the product reads a field its own way on purpose, the rule is here, stated per field, and
the same rule is the C++ side's:

- Input: a UTF-8 byte order mark and an mbox "From " separator on the first line are not part
  of the message; both sides drop them.
- Charsets: legacy charsets are read as the supersets mail readers use: GB2312 and GBK as
  GB18030, Shift_JIS as CP932, EUC-KR and KS_C_5601-1987 as CP949, ISO-8859-8-I as ISO-8859-8;
  Python knows the first ones only strictly and the last not at all. ISO-2022-JP is read with
  Microsoft's CP5022x extensions (NEC row 13, the NEC-selected IBM rows): each two-byte JIS code
  becomes its Shift_JIS code by the standard arithmetic and is read as CP932, which Python's
  iso2022_jp codec refuses.
- Subject: white space at both ends is trimmed.
- Message-ID: Python's header object raises on many malformed ids, so the reference takes the
  field's raw value as Python's parser split it (first occurrence, unfolded) and normalises it
  as message::normalise_message_id does: the first <...> (else the first word), the domain after
  the last '@' lower-cased, inside angle brackets.
- From: the first address of the field (of a group: its first member), as Python reads it, with
  Python's quotes around a local part dropped, and "" for its null address "<>". Without angle
  brackets a word with '@' after other words is the address ("Big Bug bb@bug.com" is
  bb@bug.com; Python quotes the words before it into the local part). When a display name holds
  an unquoted '@', the address is the one in angle brackets.
- Field names: the obsolete white space before the colon ("From  :", RFC 5322 §4.5.2) is
  allowed; Python skips such a field, so the reference removes that white space first.
- Date: comments are white space (RFC 5322 §3.3 CFWS), so "00:19:00 (EDT) -0400" is -0400;
  Python would read "(EDT)" as an unknown zone and drop the offset. They are removed first.
- Text of every field written without encoded words: ISO-2022-JP when it holds an escape byte
  (one that starts no ISO-2022-JP sequence is U+FFFD: no escape reaches the text); else 8-bit bytes that are not UTF-8 are read in the charset the
  message declares (its top-level Content-Type's, else its first text part's), as its superset,
  and when that fails (or none is declared) as Windows-1252, what mail readers do; Python keeps
  undecodable bytes as U+FFFD.
- An encoded word whose bytes its charset cannot convert: each ill-formed sequence is U+FFFD
  (Python keeps the bytes as surrogates).
- Attachments: every leaf MIME part except body text, which is a text/plain or text/html part
  without a file name and not marked "Content-Disposition: attachment". The digest is of the
  content decoded from its transfer encoding. Message/rfc822 parts are walked into, unless
  base64 or quoted-printable encoded (RFC 2046 §5.2.1 forbids it; spamware does it): then the
  part is a file, hashed decoded. Other message/* parts (delivery and disposition reports) are
  neither, and a multipart whose boundary never appears has no parts (Python keeps its body as
  one). Base64 with an incomplete last quantum decodes to its whole quanta (Python gives back
  the undecoded text). A file name is the parameter as written when Python cut an unquoted
  value at a special character or a space ("attach/01", "This is a test.txt"), and decoded
  when that value is one encoded word. An invalid Content-Type ("text plain") is text/plain
  (RFC 2045 §5.2), as Python has it. A text part's line break before the boundary belongs to
  the boundary, as Python has it. An unquoted boundary holding '=' is read whole (Python
  stops at the '='). File names written as encoded words are decoded (Python joins folded
  ones; GMime cuts them).
"""
import binascii
import codecs
import email
import email.charset
import email.errors
import email.header
import email.policy
import email.utils
import hashlib
import os
import quopri
import re
import sys
from datetime import timezone


def escape(s):
    """One line per field: backslash, CR, LF, TAB and other controls escaped."""
    out = []
    for ch in cp1252(s):
        if ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append("\\x%02x" % ord(ch))
        else:
            out.append(ch)
    return "".join(out)


def unfold(value):
    return value.replace("\r", "").replace("\n", "").strip(" \t")


def normalise_message_id(value):
    v = unfold(value)
    m = v.find("<")
    if m >= 0:
        close = v.find(">", m)
        ident = v[m + 1:] if close < 0 else v[m + 1:close]
    else:
        ident = re.split(r"[ \t]", v, maxsplit=1)[0]
    if not ident:
        return ""
    at = ident.rfind("@")
    if at >= 0:
        ident = ident[:at + 1] + ascii_lower(ident[at + 1:])
    return "<" + ident + ">"


def raw_first(part, name):
    """The first field of that (lower-case) name as Python split it, unfolded by the caller."""
    for k, v in part.raw_items():
        if k.lower() == name:
            return v
    return None


def ascii_lower(s):
    return "".join(chr(ord(c) + 32) if "A" <= c <= "Z" else c for c in s)


SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "cp936": "gb18030", "x-gbk": "gb18030", "euc-cn": "gb18030",
             "shift_jis": "cp932", "shift-jis": "cp932", "sjis": "cp932", "x-sjis": "cp932",
             "windows-31j": "cp932", "euc-kr": "cp949", "ks_c_5601-1987": "cp949", "iso-2022-jp": "x-spampot-iso2022jp",
             "csiso2022jp": "x-spampot-iso2022jp"}

DECLARED = [""]  # the charset the message being read declares (reference() sets it)


def iso2022jp(raw):
    """ISO-2022-JP as CP50221: JIS X 0208 codes to Shift_JIS by arithmetic, read as CP932."""
    out, mode, i = bytearray(), "ascii", 0
    while i < len(raw):
        c = raw[i]
        if c == 0x1B:
            esc = raw[i + 1:i + 4]
            if esc[:2] in (b"$B", b"$@") or esc in (b"$(B", b"$(Q"):
                mode, i = "jis", i + (4 if esc[:2] == b"$(" else 3)
            elif esc[:2] in (b"(B", b"(J"):
                mode, i = "ascii", i + 3
            elif esc[:2] == b"(I":
                mode, i = "kana", i + 3
            else:
                out += b"\x1a"
                i += 1
            continue
        if c < 0x21 or c == 0x7F or mode == "ascii" or c >= 0x80:
            out.append(c if c < 0x80 else 0x1A)
            if c == 0x0A:
                mode = "ascii"
            i += 1
            continue
        if mode == "kana":
            out.append(c + 0x80)
            i += 1
            continue
        if i + 1 >= len(raw) or not 0x21 <= raw[i + 1] <= 0x7E:
            out += b"\x1a"
            i += 1
            continue
        j1, j2 = c, raw[i + 1]
        out.append((j1 + 1) // 2 + (0x70 if j1 <= 0x5E else 0xB0))
        out.append(j2 + ((0x1F if j2 <= 0x5F else 0x20) if j1 % 2 else 0x7E))
        i += 2
    return out.decode("cp932", "replace").replace("\x1a", "\ufffd")


def spampot_codecs(name):
    if name.replace("_", "-") == "x-spampot-iso2022jp":
        return codecs.CodecInfo(name=name, encode=None,
                                decode=lambda b, errors="strict": (iso2022jp(bytes(b)), len(b)))
    return superset_charsets(name)


codecs.register(spampot_codecs)


def reread(raw):
    """Header bytes written without encoded words, as mail readers read them (rule above)."""
    if b"\x1b" in raw:
        return iso2022jp(raw)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = SUPERSETS.get(DECLARED[0].lower(), DECLARED[0].lower())
    if declared and declared not in ("utf-8", "us-ascii", "x-spampot-iso2022jp"):
        try:
            return raw.decode(declared)
        except (UnicodeDecodeError, LookupError):
            pass
    return raw.decode("cp1252", "replace")


def cp1252(s):
    """Header text Python decoded with surrogateescape: undecodable bytes back, read as the rule
    for text written without encoded words says."""
    if not any(0xDC80 <= ord(c) <= 0xDCFF for c in s):
        return s
    return reread(s.encode("utf-8", "surrogateescape"))


def replaced(s):
    """Text of encoded words whose bytes did not convert: each ill-formed sequence one U+FFFD."""
    return re.sub("[\udc80-\udcff]+", lambda m: m.group(0).encode("utf-8", "surrogateescape")
                  .decode("utf-8", "replace"), s)


def subject_of(msg):
    raw = raw_first(msg, "subject")
    if raw is None:
        return ""
    if "=?" not in raw and (any(0xDC80 <= ord(c) <= 0xDCFF for c in raw) or "\x1b" in raw):
        # Unencoded 8-bit text: Python shows the bytes as U+FFFD; the rule reads them.
        return reread(unfold(raw).encode("utf-8", "surrogateescape")).strip(" \t")
    return replaced(str(msg.get("subject"))).strip(" \t")


def from_of(msg):
    h = msg.get("from")
    if h is None:
        return ""
    raw = unfold(raw_first(msg, "from") or "")
    for a in getattr(h, "addresses", ()):
        addr = a.addr_spec
        # A display name with '@' and no quotes makes Python take the name for the address; the
        # address is in the angle brackets.
        angle = re.findall(r"<([^<>]*@[^<>]*)>", raw)
        if angle and addr not in angle:
            addr = angle[-1].strip()
        if "<" not in raw and "@" in addr and (addr.startswith('"') or " " in addr):
            words = [w for w in re.split(r"[ ,;]", without_comments(raw)) if "@" in w]
            if words:
                addr = words[-1]
        if addr == "<>":
            return ""
        if "@" not in addr and len(addr) >= 2 and addr[0] == addr[-1] == '"':
            return addr[1:-1]
        return addr
    return ""


def date_of(msg):
    raw = raw_first(msg, "date")
    if raw is None:
        return "-"
    try:
        d = email.utils.parsedate_to_datetime(without_comments(unfold(raw)))
    except (TypeError, ValueError, IndexError):
        return "-"
    if d.tzinfo is None:
        d = d.replace(tzinfo=timezone.utc)
    return d.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def without_comments(value):
    out, depth = [], 0
    for ch in value:
        if ch == "(":
            depth += 1
            if not out or out[-1] != " ":
                out.append(" ")
        elif ch == ")" and depth > 0:
            depth -= 1
        elif depth == 0:
            out.append(ch)
    return "".join(out)


def leaves(part):
    ctype = part.get_content_type()
    cte = (part.get("content-transfer-encoding") or "").strip().lower()
    if ctype == "message/rfc822" and cte in ("base64", "quoted-printable"):
        yield part  # an encoded message is a file, not a message to walk into
    elif part.is_multipart():
        for p in part.get_payload():
            yield from leaves(p)
    elif part.get_content_maintype() == "multipart":
        return  # its boundary never appears: no parts
    elif part.get_content_maintype() == "message":
        return  # delivery reports and the like are not attachments
    else:
        yield part


def content_of(part):
    ctype = part.get_content_type()
    cte = (part.get("content-transfer-encoding") or "").strip().lower()
    if ctype == "message/rfc822":
        # Python parsed the encoded text as a message without headers: its body is the text.
        inner = part.get_payload()[0]
        text = "".join(str(x) for x in inner.walk() if not x.is_multipart()
                       for x in [x.get_payload()])
        data = text.encode("ascii", "surrogateescape")
        return binascii.a2b_base64(whole_quanta(data)) if cte == "base64" else quopri.decodestring(data)
    decoded = part.get_payload(decode=True) or b""  # records decoding defects on the part
    if cte == "base64" and any(isinstance(d, email.errors.InvalidBase64LengthDefect)
                               for d in part.defects):
        return binascii.a2b_base64(whole_quanta(part.get_payload().encode("ascii", "surrogateescape")))
    return decoded


def whole_quanta(data):
    chars = bytes(c for c in data if chr(c).isalnum() or c in b"+/")
    return chars[:len(chars) // 4 * 4]


def raw_parameter(part, header, name):
    """An unquoted parameter value as written, up to ';' or white space."""
    value = unfold(raw_first(part, header) or "")
    m = re.search(r"(?i)(?:^|;)\s*" + name + r"\s*=\s*([^;\"]+)", value)
    return m.group(1).strip() if m else None


def filename_of(part):
    name = part.get_filename()
    for header, param in (("content-disposition", "filename"), ("content-type", "name")):
        raw = raw_parameter(part, header, param)
        # Python ends an unquoted value at a tspecial or space ("attach/01" -> "attach").
        if raw and name and raw != name and raw.startswith(name) and "=?" not in raw and "'" not in raw:
            return raw
        # An unquoted value that is one encoded word ("name==?utf-8?B?...?="): decoded.
        if raw and not name and re.fullmatch(r"=\?[^?]+\?[bBqQ]\?[^?]*\?=", raw):
            return str(email.header.make_header(email.header.decode_header(raw)))
    if name is None and part.get_content_type() == "text/plain" \
            and "/" not in (part.get("content-type") or "/"):
        name = raw_parameter(part, "content-type", "name")  # kept though the type is invalid
    return name


def attachments_of(msg):
    out = []
    for part in leaves(msg):
        maintype, subtype = part.get_content_maintype(), part.get_content_subtype()
        name = filename_of(part)
        disposition = (part.get_content_disposition() or "").lower()
        if maintype == "text" and subtype in ("plain", "html") and name is None \
                and disposition != "attachment":
            continue
        out.append((hashlib.sha256(content_of(part)).hexdigest(), cp1252(name or "")))
    return out


def declared_charset(part, depth=0):
    """The message's own charset, else its first text part's, looking into multiparts only."""
    if depth > 20:
        return ""
    if part.get_content_maintype() != "multipart" or not part.is_multipart():
        return part.get_param("charset") or "" if depth == 0 or part.get_content_maintype() == "text" else ""
    for child in part.get_payload():
        if child.get_content_maintype() in ("multipart", "text"):
            c = declared_charset(child, depth + 1)
            if c:
                return c
    return ""


def superset_charsets(name):
    """GMime reads these charsets as the supersets mail clients use; so does the reference."""
    supersets = {"gb2312": "gbk", "iso_8859_8_i": "iso8859_8", "iso_8859_8_e": "iso8859_8",
                 "iso_8859_6_i": "iso8859_6", "iso_8859_6_e": "iso8859_6",
                 "ks_c_5601_1987": "euc_kr"}
    name = name.lower().replace("-", "_")
    return codecs.lookup(supersets[name]) if name in supersets else None


# Messages whose MIME structure has no one right reading: their attachments are not compared
# (their headers are), and each is kept by the robustness tests instead.
AMBIGUOUS = {
    "cpython/msg_39.eml": "multiparts nested inside a multipart with the same boundary "
                          "(RFC 2046 §5.1.1 forbids it)",
}


def reference(data, rel=""):
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if data.startswith(b"From "):
        eol = data.find(b"\n")
        data = b"" if eol < 0 else data[eol + 1:]
    end = re.search(rb"\r?\n\r?\n", data)
    head, rest = (data[:end.start()], data[end.start():]) if end else (data, b"")
    head = re.sub(rb"(?m)^([\x21-\x39\x3b-\x7e]+)[ \t]+:", rb"\1:", head)
    # Python's codecs for these names are strict; encoded words name the supersets instead.
    head = re.sub(rb"(?i)=\?(gb2312|gbk|cp936|x-gbk|euc-cn|shift_jis|shift-jis|sjis|x-sjis|windows-31j|euc-kr|"
                  rb"ks_c_5601-1987|iso-2022-jp|csiso2022jp)(\*[^?]*)?\?",
                  lambda m: b"=?" + SUPERSETS[m.group(1).decode().lower()].encode() + b"?", head)
    data = head + rest
    # An unquoted boundary holding '=' (not a token character, but common): read whole.
    data = re.sub(rb'(?i)(boundary=)([^"\s;]*=[^"\s;]*)', rb'\1"\2"', data)
    msg = email.message_from_bytes(data, policy=email.policy.default)
    DECLARED[0] = declared_charset(msg)
    lines = [
        "subject: " + escape(subject_of(msg)),
        "from: " + escape(from_of(msg)),
        "message-id: " + escape(normalise_message_id(raw_first(msg, "message-id") or "")),
        "date-utc: " + date_of(msg),
    ]
    if rel in AMBIGUOUS:
        lines.append("attachments: not compared: " + AMBIGUOUS[rel])
    else:
        for sha, name in attachments_of(msg):
            lines.append("attachment: " + sha + " " + escape(name))
    return "\n".join(lines) + "\n"


def main():
    src, dst = sys.argv[1], sys.argv[2]
    for folder in sorted(os.listdir(src)):
        if not os.path.isdir(os.path.join(src, folder)):
            continue
        for name in sorted(os.listdir(os.path.join(src, folder))):
            with open(os.path.join(src, folder, name), "rb") as f:
                text = reference(f.read(), folder + "/" + name)
            os.makedirs(os.path.join(dst, folder), exist_ok=True)
            with open(os.path.join(dst, folder, name + ".txt"), "w", encoding="utf-8",
                      newline="\n") as f:
                f.write(text)


if __name__ == "__main__":
    main()
