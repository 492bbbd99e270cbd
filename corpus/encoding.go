package corpus

import (
	"bytes"
	"fmt"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// Encodings a file can be decoded from, as decodeFile reports them.
const (
	EncodingUTF8        = "UTF-8"
	EncodingUTF16       = "UTF-16"
	EncodingWindows1252 = "Windows-1252"
)

// decodeFile turns a file's bytes into UTF-8 and says which encoding they
// were read as:
//   - a UTF-8 byte-order mark is dropped;
//   - a UTF-16 byte-order mark (little or big endian: what Windows calls
//     "Unicode") decodes the file from UTF-16;
//   - bytes that are not valid UTF-8 are read as Windows-1252, a superset
//     of Latin-1 (ISO-8859-1) that decodes any byte, so nothing is lost;
//     data holding a NUL byte is left as it is, for the binary check.
//
// A feed (xmlDecl) that declares an encoding of its own other than UTF-8 is
// left to the XML reader, unless it came as UTF-16 with a mark: then its
// declaration is rewritten to say UTF-8. It returns an error only for
// UTF-16 that does not decode.
func decodeFile(data []byte, xmlDecl bool) ([]byte, string, error) {
	if bytes.HasPrefix(data, utf8BOM) {
		return data[len(utf8BOM):], EncodingUTF8, nil
	}
	if bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF}) {
		out, err := decodeWith(unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM), data)
		if err != nil {
			return nil, EncodingUTF16, fmt.Errorf("UTF-16: %w", err)
		}
		if xmlDecl {
			out = setXMLEncodingUTF8(out)
		}
		return out, EncodingUTF16, nil
	}
	if utf8.Valid(data) || bytes.IndexByte(data, 0) >= 0 || xmlDecl && !declaresUTF8(data) {
		return data, EncodingUTF8, nil
	}
	out, err := decodeWith(charmap.Windows1252, data)
	if err != nil { // Windows-1252 decodes every byte; kept for safety
		return data, EncodingUTF8, nil
	}
	return out, EncodingWindows1252, nil
}

func decodeWith(e encoding.Encoding, data []byte) ([]byte, error) {
	out, err := e.NewDecoder().Bytes(data)
	if err != nil {
		return nil, fmt.Errorf("decode: %w", err)
	}
	return out, nil
}

// setXMLEncodingUTF8 rewrites the encoding of an XML declaration to UTF-8.
func setXMLEncodingUTF8(data []byte) []byte {
	m := xmlEncoding.FindSubmatchIndex(data)
	if m == nil {
		return data
	}
	out := make([]byte, 0, len(data))
	out = append(out, data[:m[2]]...)
	out = append(out, "UTF-8"...)
	return append(out, data[m[3]:]...)
}
