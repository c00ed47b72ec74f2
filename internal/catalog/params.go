package catalog

import (
	"fmt"
	"net/netip"
	"regexp"
	"strconv"
	"strings"
)

// Param is one declared parameter: `-- param: name type default|required help…`.
type Param struct {
	Name     string
	Type     string // ip | cidr | port | ports | int | account | region | eni | vpc
	Default  string
	Required bool
	Help     string
}

func parseParam(s string) (Param, error) {
	f := strings.Fields(s)
	if len(f) < 3 {
		return Param{}, fmt.Errorf("param %q: want `name type default|required help`", s)
	}
	p := Param{Name: f[0], Type: f[1], Help: strings.Join(f[3:], " ")}
	if f[2] == "required" {
		p.Required = true
	} else {
		p.Default = f[2]
	}
	if validator(p.Type) == nil {
		return Param{}, fmt.Errorf("param %s: unknown type %q", p.Name, p.Type)
	}
	if !p.Required {
		if _, err := p.Parse(p.Default); err != nil {
			return Param{}, fmt.Errorf("param %s: bad default: %w", p.Name, err)
		}
	}
	return p, nil
}

var (
	accountRE = regexp.MustCompile(`^[0-9]{12}$`)
	regionRE  = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$`)
	eniRE     = regexp.MustCompile(`^eni-[0-9a-f]{8,17}$`)
	vpcRE     = regexp.MustCompile(`^vpc-[0-9a-f]{8,17}$`)
)

// validator returns the function that turns user text into a typed value of type typ, or
// explains why it is not one (nil for an unknown type). Every value a query receives passed one
// of these; strings come back in canonical form.
func validator(typ string) func(string) (any, error) {
	switch typ {
	case "ip":
		return parseIP
	case "cidr":
		return parseCIDR
	case "port":
		return parsePort
	case "ports":
		return parsePorts
	case "int":
		return parseInt
	case "account":
		return pattern(accountRE, "an AWS account id (12 digits)")
	case "region":
		return pattern(regionRE, "an AWS region (e.g. us-east-1)")
	case "eni":
		return pattern(eniRE, "a network interface id (eni-…)")
	case "vpc":
		return pattern(vpcRE, "a VPC id (vpc-…)")
	}
	return nil
}

func parseIP(s string) (any, error) {
	a, err := netip.ParseAddr(s)
	if err != nil || a.Zone() != "" {
		return nil, fmt.Errorf("%q is not an IP address", s)
	}
	return a.String(), nil
}

func parseCIDR(s string) (any, error) {
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return nil, fmt.Errorf("%q is not a CIDR block (e.g. 10.0.0.0/16)", s)
	}
	return p.Masked().String(), nil
}

func parsePort(s string) (any, error) {
	n, err := strconv.ParseUint(s, 10, 16)
	if err != nil {
		return nil, fmt.Errorf("%q is not a port (0-65535)", s)
	}
	return int64(n), nil
}

func parsePorts(s string) (any, error) {
	var out []int64
	for _, part := range strings.Split(s, ",") {
		n, err := strconv.ParseUint(strings.TrimSpace(part), 10, 16)
		if err != nil {
			return nil, fmt.Errorf("%q is not a comma-separated list of ports (0-65535)", s)
		}
		out = append(out, int64(n))
	}
	return out, nil
}

func parseInt(s string) (any, error) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 || n > 1_000_000_000 {
		return nil, fmt.Errorf("%q is not a whole number from 0 to 1000000000", s)
	}
	return n, nil
}

func pattern(re *regexp.Regexp, what string) func(string) (any, error) {
	return func(s string) (any, error) {
		if !re.MatchString(s) {
			return nil, fmt.Errorf("%q is not %s", s, what)
		}
		return s, nil
	}
}

// Parse validates a value for this parameter.
func (p Param) Parse(s string) (any, error) {
	v, err := validator(p.Type)(strings.TrimSpace(s))
	if err != nil {
		return nil, fmt.Errorf("--param %s: %w", p.Name, err)
	}
	return v, nil
}

// Values validates user-given name=value pairs against the entry's parameters and fills in
// defaults. Unknown names and missing required parameters are errors.
func (e *Entry) Values(given map[string]string) (map[string]any, error) {
	out := make(map[string]any, len(e.Params))
	for name := range given {
		if _, ok := e.Param(name); !ok {
			return nil, fmt.Errorf("%s has no parameter %q (it takes: %s)", e.ID, name, e.paramNames())
		}
	}
	for _, p := range e.Params {
		s, ok := given[p.Name]
		if !ok {
			if p.Required {
				return nil, fmt.Errorf("%s needs --param %s=<%s>", e.ID, p.Name, p.Type)
			}
			s = p.Default
		}
		v, err := p.Parse(s)
		if err != nil {
			return nil, err
		}
		out[p.Name] = v
	}
	return out, nil
}

func (e *Entry) paramNames() string {
	if len(e.Params) == 0 {
		return "none"
	}
	names := make([]string, len(e.Params))
	for i, p := range e.Params {
		names[i] = p.Name
	}
	return strings.Join(names, ", ")
}
