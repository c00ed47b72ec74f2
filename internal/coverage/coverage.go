// Package coverage answers "what do the flow logs in this case cover?": per account, region
// and interface, the hours with records, the gaps, the aggregation interval the records show
// and the NODATA/SKIPDATA records, plus what flow logs never record. An incident responder
// needs it before reading any absence of traffic as evidence.
package coverage

import (
	_ "embed"
	"fmt"
	"strings"
	"time"
)

//go:embed coverage.sql
var coverageSQL string

// Levels a report can group by.
const (
	ByInterface = "interface"
	ByRegion    = "region"
	ByAccount   = "account"
)

// NeverLogged is what VPC flow logs do not record (AWS VPC User Guide, "Flow log limitations").
const NeverLogged = `Flow logs never record: traffic to the Amazon DNS resolver (your own DNS servers are
logged), instance metadata (169.254.169.254), Amazon Time Sync (169.254.169.123), DHCP, Windows
license activation, mirrored traffic, the default VPC router's reserved address, and traffic
between an endpoint network interface and a Network Load Balancer interface. A host with no
records did not necessarily stay silent; SKIPDATA records mean records were lost.`

// Query returns the coverage SQL grouped by level, with --from/--to applied to record start
// and end, and its arguments.
func Query(level string, from, to time.Time) (string, []any, error) {
	var keys []string
	switch level {
	case ByInterface:
		keys = []string{"account", "region", "interface"}
	case ByRegion:
		keys = []string{"account", "region"}
	case ByAccount:
		keys = []string{"account"}
	default:
		return "", nil, fmt.Errorf("coverage: group by interface, region or account, not %q", level)
	}
	var conds []string
	var args []any
	if !to.IsZero() {
		conds = append(conds, "start < ?")
		args = append(args, to.Unix())
	}
	if !from.IsZero() {
		conds = append(conds, `"end" >= ?`)
		args = append(args, from.Unix())
	}
	timeSQL := "TRUE"
	if len(conds) > 0 {
		timeSQL = strings.Join(conds, " AND ")
	}
	interfaces := "interfaces,"
	if level == ByInterface {
		interfaces = ""
	}
	q := strings.NewReplacer("{{keys}}", strings.Join(keys, ", "), "{{time}}", timeSQL, "{{interfaces}}", interfaces).Replace(coverageSQL)
	return q, args, nil
}
