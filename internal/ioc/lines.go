package ioc

import (
	"bytes"
	"iter"
	"strings"
)

// lines yields each line (without \r\n) and its 1-based number.
func lines(data []byte) iter.Seq2[int, string] {
	return func(yield func(int, string) bool) {
		n := 0
		for len(data) > 0 {
			n++
			var l []byte
			if i := bytes.IndexByte(data, '\n'); i >= 0 {
				l, data = data[:i], data[i+1:]
			} else {
				l, data = data, nil
			}
			if !yield(n, string(bytes.TrimSuffix(l, []byte("\r")))) {
				return
			}
		}
	}
}

// text reads one address or CIDR per line. "#" or ";" starts a comment; on a line with an
// indicator the comment becomes the indicator's comment, as does any text after the indicator.
func (p *parser) text(data []byte) {
	first := true
	for n, line := range lines(data) {
		body, comment := line, ""
		if i := strings.IndexAny(line, "#;"); i >= 0 {
			body, comment = line[:i], line[i+1:]
		}
		body = strings.TrimSpace(body)
		if body == "" {
			continue
		}
		value, rest := body, ""
		if i := strings.IndexAny(body, " \t"); i >= 0 {
			value, rest = body[:i], strings.TrimSpace(body[i+1:])
		}
		if first && rest == "" && isHeaderName(value) && known(ipNames, value) {
			first = false
			continue // a one-column CSV header such as "threat_ip"
		}
		first = false
		if rest != "" {
			comment = strings.TrimSpace(rest + " " + strings.TrimSpace(comment))
		}
		p.add(n, value, comment, "", "")
	}
}

// csv reads the playbook's incident_iocs file: threat_ip,threat_comment with an optional header,
// fields quoted with " (a quote inside written "" or \" as Athena's OpenCSVSerde reads it).
// A header names the columns, so exports with other column orders work too. Without a header, a
// line with more than two fields keeps everything after the first comma as the comment.
func (p *parser) csv(data []byte) {
	ipCol, commentCol, header := 0, -1, false
	first := true
	for n, line := range lines(data) {
		t := strings.TrimSpace(line)
		if t == "" || t[0] == '#' {
			continue
		}
		fields, err := splitCSV(line)
		if err != "" {
			p.bad(n, line, err)
			continue
		}
		if first {
			first = false
			if i, c, ok := csvHeader(fields); ok {
				ipCol, commentCol, header = i, c, true
				continue
			}
		}
		if ipCol >= len(fields) {
			p.bad(n, line, "no indicator column")
			continue
		}
		comment := ""
		switch {
		case header && commentCol >= 0 && commentCol < len(fields):
			comment = fields[commentCol]
		case !header && len(fields) == 2:
			comment = fields[1]
		case !header && len(fields) > 2:
			_, comment, _ = strings.Cut(line, ",") // an unquoted comment with commas, kept as written
		}
		p.add(n, fields[ipCol], comment, "", line)
	}
}

// splitCSV splits one line into fields. It returns a reason when the line is malformed.
func splitCSV(line string) ([]string, string) {
	var (
		fields  []string
		cur     strings.Builder
		quoted  bool // inside quotes
		wasQuot bool // this field was quoted: keep its spaces
	)
	flush := func() {
		f := cur.String()
		if !wasQuot {
			f = strings.TrimSpace(f)
		}
		fields = append(fields, f)
		cur.Reset()
		wasQuot = false
	}
	for i := 0; i < len(line); i++ {
		c := line[i]
		if quoted {
			switch {
			case c == '\\' && i+1 < len(line) && (line[i+1] == '"' || line[i+1] == '\\'):
				cur.WriteByte(line[i+1])
				i++
			case c == '"' && i+1 < len(line) && line[i+1] == '"':
				cur.WriteByte('"')
				i++
			case c == '"':
				quoted = false
			default:
				cur.WriteByte(c)
			}
			continue
		}
		switch {
		case c == ',':
			flush()
		case c == '"' && strings.TrimSpace(cur.String()) == "" && !wasQuot:
			cur.Reset()
			quoted, wasQuot = true, true
		default:
			cur.WriteByte(c)
		}
	}
	if quoted {
		return nil, "unterminated quoted field"
	}
	flush()
	return fields, ""
}

// Column names recognised in a CSV header.
var (
	ipNames      = []string{"threat_ip", "ip", "ip_address", "ipaddress", "address", "addr", "indicator", "ioc", "value", "cidr", "network", "prefix", "ip_prefix"}
	commentNames = []string{"threat_comment", "comment", "comments", "description", "desc", "name", "note", "notes", "title", "label", "reason", "tags"}
)

// csvHeader recognises a header line: no field is an indicator and every field is a column name.
func csvHeader(fields []string) (ipCol, commentCol int, ok bool) {
	named := false
	for _, f := range fields {
		if !isHeaderName(f) {
			return 0, -1, false
		}
		named = named || known(ipNames, f) || known(commentNames, f)
	}
	if !named {
		return 0, -1, false
	}
	ipCol, commentCol = -1, -1
	for _, want := range ipNames {
		for i, f := range fields {
			if ipCol < 0 && normName(f) == want {
				ipCol = i
			}
		}
	}
	if ipCol < 0 {
		ipCol = 0
	}
	for _, want := range commentNames {
		for i, f := range fields {
			if commentCol < 0 && i != ipCol && normName(f) == want {
				commentCol = i
			}
		}
	}
	if commentCol < 0 && len(fields) > 1 {
		commentCol = 1
		if ipCol == 1 {
			commentCol = 0
		}
	}
	return ipCol, commentCol, true
}

func known(names []string, s string) bool {
	n := normName(s)
	for _, k := range names {
		if k == n {
			return true
		}
	}
	return false
}

func normName(s string) string {
	return strings.NewReplacer(" ", "_", "-", "_", ".", "_").Replace(strings.ToLower(strings.TrimSpace(s)))
}

// isHeaderName: letters first, then letters, digits, _ - . or spaces; never an indicator.
func isHeaderName(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" {
		return false
	}
	for i, r := range s {
		letter := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
		if i == 0 && !letter && r != '_' {
			return false
		}
		if !letter && r != '_' && r != '-' && r != '.' && r != ' ' && !(r >= '0' && r <= '9') {
			return false
		}
	}
	_, _, err := ParseIndicator(s)
	return err != nil
}
