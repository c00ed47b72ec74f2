package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/flowdig/flowdig/internal/enrich"
	"github.com/flowdig/flowdig/internal/store"
)

type enrichOptions struct {
	out      outputOptions
	ipRanges string
	geoip    []string
	noGeoIP  bool
}

func newEnrichCmd(e *env) *cobra.Command {
	o := &enrichOptions{}
	cmd := &cobra.Command{
		Use:   "enrich [flags]",
		Short: "Describe every address in the records: private/public/special, AWS service and region, country and AS",
		Long: `Bring the case's address enrichment up to date and choose its data, offline.

Every distinct address of the records is described once in address_info: its class (private:
RFC 1918, CGNAT, IPv6 unique local; special: loopback, link-local, multicast, documentation,
benchmarking, reserved…; else public), the AWS service and region that own it (AWS's
ip-ranges.json: the copy shipped in flowdig unless --ip-ranges gives another), and with --geoip
(MaxMind-format .mmdb files, e.g. GeoLite2-Country and GeoLite2-ASN) its country and AS. The view
flows_enriched adds these as src_* and dst_* columns to every record, with the ip-ranges
createDate as aws_ranges_created. The choice of data is kept in the case; ingest and the ioc
commands describe new addresses with it. Prints the addresses by class and AWS service.`,
		Example: `  flowdig enrich --geoip GeoLite2-Country.mmdb --geoip GeoLite2-ASN.mmdb
  flowdig enrich --ip-ranges ip-ranges.json      # a newer copy from https://ip-ranges.amazonaws.com/ip-ranges.json
  flowdig query "SELECT * FROM flows_enriched WHERE dst_aws_service = 'S3' LIMIT 10"`,
		Args: argsUsage(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runEnrich(cmd.Context(), e, o)
		},
	}
	o.out.bind(cmd)
	f := cmd.Flags()
	f.StringVar(&o.ipRanges, "ip-ranges", "", "AWS ip-ranges.json to use from now on ('builtin': the copy shipped in flowdig)")
	f.StringArrayVar(&o.geoip, "geoip", nil, "MaxMind-format database (.mmdb) for country and AS, used from now on (repeatable)")
	f.BoolVar(&o.noGeoIP, "no-geoip", false, "stop using GeoIP databases")
	return cmd
}

const enrichBreakdown = `SELECT class, coalesce(range_name, '') AS range, coalesce(aws_service, '') AS aws_service,
	count(*) AS addresses, count(country) AS with_country, count(asn) AS with_asn
FROM address_info GROUP BY ALL ORDER BY class, range, addresses DESC, aws_service`

func runEnrich(ctx context.Context, e *env, o *enrichOptions) error {
	if o.noGeoIP && len(o.geoip) > 0 {
		return usagef("--no-geoip and --geoip exclude each other")
	}
	format, err := o.out.resolve(e.io.Out)
	if err != nil {
		return err
	}
	db, err := e.openCase(ctx, false)
	if err != nil {
		return err
	}
	defer db.Close()
	st, err := enrich.Refresh(ctx, db, enrich.Options{IPRanges: o.ipRanges, GeoIP: o.geoip, NoGeoIP: o.noGeoIP, Version: version()})
	if err != nil {
		return err
	}
	if err := printQuery(ctx, db, e.io.Out, e.io.Err, &o.out, format, enrichBreakdown); err != nil {
		return err
	}
	printEnrichStats(e, st)
	return nil
}

func printEnrichStats(e *env, st *enrich.Stats) {
	w := e.io.Err
	for _, msg := range st.Warnings {
		fmt.Fprintln(w, "flowdig: warning:", msg)
	}
	how := "new"
	if st.Full {
		how = "re-described: the data changed"
	}
	fmt.Fprintf(w, "%d addresses in the case, %d %s, %d IOC matches added, in %.1fs\n", st.Addresses, st.New, how, st.Matches, st.Elapsed.Seconds())
	fmt.Fprintf(w, "AWS ip-ranges: %s, createDate %s, %d prefixes, sha256 %s\n", st.Ranges.URI, st.Ranges.Version, st.Ranges.Entries, st.Ranges.SHA256)
	if len(st.GeoIP) == 0 {
		fmt.Fprintln(w, "GeoIP: none (--geoip FILE adds country and AS)")
	}
	for _, g := range st.GeoIP {
		fmt.Fprintf(w, "GeoIP: %s, %s, sha256 %s\n", g.URI, g.Version, g.SHA256)
	}
}

// refreshAfterIngest brings the address enrichment and IOC matches up to date with what an
// ingest stored (the addresses of the new sources only), so flows_enriched, ioc_hits and
// ioc_summary cover every record. runIngest calls it after a run that returned no error; an
// interrupted run can skip it: the next ingest or ioc/enrich command catches up.
func refreshAfterIngest(ctx context.Context, e *env, db *store.DB) error {
	st, err := enrich.Refresh(ctx, db, enrich.Options{Version: version()})
	if err != nil {
		return fmt.Errorf("describe new addresses: %w", err)
	}
	for _, msg := range st.Warnings {
		fmt.Fprintln(e.io.Err, "flowdig: warning:", msg)
	}
	if st.New > 0 {
		fmt.Fprintf(e.io.Err, "described %d new addresses (AWS ip-ranges %s), %d IOC matches, in %.1fs\n",
			st.New, st.Ranges.Version, st.Matches, st.Elapsed.Seconds())
	}
	return nil
}
