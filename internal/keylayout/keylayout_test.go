package keylayout

import (
	"testing"
	"time"
)

const (
	acct      = "123456789012"
	fileName  = "123456789012_vpcflowlogs_us-east-1_fl-1234abcd_20180620T1620Z_fe123456.log.gz"
	plainDay  = "AWSLogs/123456789012/vpcflowlogs/us-east-1/2018/06/20/"
	hiveDay   = "AWSLogs/aws-account-id=123456789012/aws-service=vpcflowlogs/aws-region=us-east-1/year=2018/month=06/day=20/"
	cloudName = "123456789012_CloudTrail_us-east-1_20260102T0005Z_abcdEFGH1234.json.gz"
)

var fileTime = time.Date(2018, 6, 20, 16, 20, 0, 0, time.UTC)

// flowInfo is what a well-formed flow-log key with fileName gives; cases adjust it with edit.
func flowInfo(l Layout, hour int) Info {
	return Info{
		Layout: l, AccountID: acct, Service: FlowLogService, Region: "us-east-1",
		Year: 2018, Month: 6, Day: 20, Hour: hour,
		FileName: fileName, FlowLogID: "fl-1234abcd", FileTime: fileTime, UnderAWSLogs: true,
	}
}

// nameOnly is what fileName alone gives when the folders fit no layout.
func nameOnly(underAWSLogs bool) Info {
	i := flowInfo(None, -1)
	i.Year, i.Month, i.Day, i.UnderAWSLogs = 0, 0, 0, underAWSLogs
	return i
}

func edit(i Info, f func(*Info)) Info {
	f(&i)
	return i
}

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		key  string
		want Info
		flow bool // want IsFlowLogService
	}{
		{"plain", plainDay + fileName, flowInfo(Plain, -1), true},
		{"plain multi-folder prefix", "corp/logs/vpc/" + plainDay + fileName,
			edit(flowInfo(Plain, -1), func(i *Info) { i.Prefix = "corp/logs/vpc" }), true},
		{"plain hourly 00", plainDay + "00/" + fileName, flowInfo(PlainHourly, 0), true},
		{"plain hourly 23 with prefix", "p/" + plainDay + "23/" + fileName,
			edit(flowInfo(PlainHourly, 23), func(i *Info) { i.Prefix = "p" }), true},
		{"hive", hiveDay + fileName, flowInfo(Hive, -1), true},
		{"hive hourly 00", hiveDay + "hour=00/" + fileName, flowInfo(HiveHourly, 0), true},
		{"hive hourly 23 with prefix", "a/b/c/" + hiveDay + "hour=23/" + fileName,
			edit(flowInfo(HiveHourly, 23), func(i *Info) { i.Prefix = "a/b/c" }), true},
		{"org id plain", "AWSLogs/o-abcdef1234/" + plainDay[len("AWSLogs/"):] + fileName,
			edit(flowInfo(Plain, -1), func(i *Info) { i.OrgID = "o-abcdef1234" }), true},
		{"org id hive hourly", "x/AWSLogs/o-abcdef1234/" + hiveDay[len("AWSLogs/"):] + "hour=07/" + fileName,
			edit(flowInfo(HiveHourly, 7), func(i *Info) { i.OrgID, i.Prefix = "o-abcdef1234", "x" }), true},
		{"s3 url without prefix", "s3://my-bucket/" + plainDay + fileName,
			edit(flowInfo(Plain, -1), func(i *Info) { i.Bucket = "my-bucket" }), true},
		{"s3 url with prefix", "S3://my-bucket/flow/prod/" + hiveDay + fileName,
			edit(flowInfo(Hive, -1), func(i *Info) { i.Bucket, i.Prefix = "my-bucket", "flow/prod" }), true},
		{"absolute local path", "/mnt/evidence/" + plainDay + fileName,
			edit(flowInfo(Plain, -1), func(i *Info) { i.Prefix = "/mnt/evidence" }), true},
		{"windows separators", `C:\evidence\case-7\AWSLogs\123456789012\vpcflowlogs\us-east-1\2018\06\20\13\` + fileName,
			edit(flowInfo(PlainHourly, 13), func(i *Info) { i.Prefix = `C:\evidence\case-7` }), true},
		{"mixed separators", `D:\copy/` + `AWSLogs\aws-account-id=123456789012/aws-service=vpcflowlogs\aws-region=us-east-1/year=2018\month=06/day=20\` + fileName,
			edit(flowInfo(Hive, -1), func(i *Info) { i.Prefix = `D:\copy` }), true},
		{"parquet", plainDay + "123456789012_vpcflowlogs_us-east-1_fl-1234abcd_20180620T1620Z_fe123456.parquet",
			edit(flowInfo(Plain, -1), func(i *Info) {
				i.FileName = "123456789012_vpcflowlogs_us-east-1_fl-1234abcd_20180620T1620Z_fe123456.parquet"
			}), true},
		{"gz parquet hive hourly", hiveDay + "hour=16/123456789012_vpcflowlogs_us-east-1_fl-1234abcd_20180620T1620Z_fe123456.gz.parquet",
			edit(flowInfo(HiveHourly, 16), func(i *Info) {
				i.FileName = "123456789012_vpcflowlogs_us-east-1_fl-1234abcd_20180620T1620Z_fe123456.gz.parquet"
			}), true},
		{"govcloud and china regions", "AWSLogs/123456789012/vpcflowlogs/us-gov-west-1/2018/06/20/123456789012_vpcflowlogs_cn-north-1_fl-0a1b2c3d4e5f67890_20180620T1620Z_x.log.gz",
			edit(flowInfo(Plain, -1), func(i *Info) {
				i.Region, i.FlowLogID = "us-gov-west-1", "fl-0a1b2c3d4e5f67890"
				i.FileName = "123456789012_vpcflowlogs_cn-north-1_fl-0a1b2c3d4e5f67890_20180620T1620Z_x.log.gz"
			}), true},
		{"leap day", "AWSLogs/123456789012/vpcflowlogs/eu-central-2/2024/02/29/" + fileName,
			edit(flowInfo(Plain, -1), func(i *Info) { i.Region, i.Year, i.Month, i.Day = "eu-central-2", 2024, 2, 29 }), true},
		{"nested AWSLogs folder in local path", "/cases/AWSLogs/" + plainDay + fileName,
			edit(flowInfo(Plain, -1), func(i *Info) { i.Prefix = "/cases/AWSLogs" }), true},
		{"day folder key", "p/" + plainDay,
			edit(flowInfo(Plain, -1), func(i *Info) { i.Prefix, i.FileName, i.FlowLogID, i.FileTime = "p", "", "", time.Time{} }), true},
		{"hour folder key", hiveDay + "hour=05/",
			edit(flowInfo(HiveHourly, 5), func(i *Info) { i.FileName, i.FlowLogID, i.FileTime = "", "", time.Time{} }), true},
		{"bad stamp in name keeps folder facts", plainDay + "123456789012_vpcflowlogs_us-east-1_fl-1234abcd_20181320T1620Z_fe.log.gz",
			edit(flowInfo(Plain, -1), func(i *Info) {
				i.FileName, i.FileTime = "123456789012_vpcflowlogs_us-east-1_fl-1234abcd_20181320T1620Z_fe.log.gz", time.Time{}
			}), true},

		// Folders that fit no layout keep only what the file name gives.
		{"month 13 day 40", "AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/13/40/" + fileName, nameOnly(true), true},
		{"feb 29 in common year", "AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/02/29/" + fileName, nameOnly(true), true},
		{"hour 24", plainDay + "24/" + fileName, nameOnly(true), true},
		{"hive hour 24", hiveDay + "hour=24/" + fileName, nameOnly(true), true},
		{"hive unpadded month", "AWSLogs/aws-account-id=123456789012/aws-service=vpcflowlogs/aws-region=us-east-1/year=2018/month=6/day=20/" + fileName, nameOnly(true), true},
		{"extra folder below day", plainDay + "extra/" + fileName, nameOnly(true), true},
		{"11-digit account folder", "AWSLogs/12345678901/vpcflowlogs/us-east-1/2018/06/20/" + fileName,
			nameOnly(true), true},
		{"region folder without dashes", "AWSLogs/123456789012/vpcflowlogs/useast1/2018/06/20/" + fileName, nameOnly(true), true},
		{"hive keys on plain folders", "AWSLogs/aws-account-id=123456789012/vpcflowlogs/us-east-1/2018/06/20/" + fileName, nameOnly(true), true},
		{"lower-case awslogs is not AWSLogs", "awslogs/123456789012/vpcflowlogs/us-east-1/2018/06/20/" + fileName, nameOnly(false), true},
		{"bare file name", fileName, nameOnly(false), true},
		{"bare windows file", `C:\dl\` + fileName, nameOnly(false), true},

		// Other services under AWSLogs are reported so walkers can skip them.
		{"cloudtrail plain layout", "AWSLogs/123456789012/CloudTrail/us-east-1/2026/01/02/" + cloudName,
			Info{Layout: Plain, AccountID: acct, Service: "CloudTrail", Region: "us-east-1", Year: 2026, Month: 1, Day: 2,
				Hour: -1, FileName: cloudName, UnderAWSLogs: true}, false},
		{"cloudtrail org trail", "trail/AWSLogs/o-exampleorgid/123456789012/CloudTrail/eu-west-1/2026/01/02/" + cloudName,
			Info{Layout: Plain, Prefix: "trail", OrgID: "o-exampleorgid", AccountID: acct, Service: "CloudTrail", Region: "eu-west-1",
				Year: 2026, Month: 1, Day: 2, Hour: -1, FileName: cloudName, UnderAWSLogs: true}, false},
		{"config with unpadded date", "AWSLogs/123456789012/Config/us-east-1/2026/1/2/ConfigHistory/x.json.gz",
			Info{Layout: None, Service: "Config", Hour: -1, FileName: "x.json.gz", UnderAWSLogs: true}, false},
		{"service folder outranks flow-log file name", "AWSLogs/123456789012/elasticloadbalancing/us-east-1/2026/13/01/" + fileName,
			edit(nameOnly(true), func(i *Info) { i.Service = "elasticloadbalancing" }), false},

		// Garbage.
		{"empty", "", Info{Layout: None, Hour: -1}, true},
		{"only separators", `//\\`, Info{Layout: None, Hour: -1}, true},
		{"AWSLogs as file name", "x/AWSLogs", Info{Layout: None, Hour: -1, FileName: "AWSLogs"}, true},
		{"AWSLogs folder alone", "AWSLogs/", Info{Layout: None, Hour: -1, UnderAWSLogs: true}, false},
		{"unknown file under AWSLogs", "AWSLogs/readme.txt", Info{Layout: None, Hour: -1, FileName: "readme.txt", UnderAWSLogs: true}, false},
		{"s3 bucket only", "s3://bucket", Info{Layout: None, Hour: -1, Bucket: "bucket"}, true},
		{"flow-log shaped name with bad parts", "123_vpcflowlogs_US-EAST-1_vpc-1_2018_x.log.gz",
			Info{Layout: None, Hour: -1, Service: FlowLogService, FileName: "123_vpcflowlogs_US-EAST-1_vpc-1_2018_x.log.gz"}, true},
		{"name missing hash", "123456789012_vpcflowlogs_us-east-1_fl-1234abcd_20180620T1620Z",
			Info{Layout: None, Hour: -1, FileName: "123456789012_vpcflowlogs_us-east-1_fl-1234abcd_20180620T1620Z"}, true},
		{"unicode junk", "AWSLogs/１２３/vpcflowlogs/\x00/\xff", Info{Layout: None, Hour: -1, FileName: "\xff", UnderAWSLogs: true}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Parse(tt.key)
			if got != tt.want {
				t.Errorf("Parse(%q)\n got  %+v\n want %+v", tt.key, got, tt.want)
			}
			if f := got.IsFlowLogService(); f != tt.flow {
				t.Errorf("Parse(%q).IsFlowLogService() = %v, want %v", tt.key, f, tt.flow)
			}
		})
	}
}

func TestInfoDate(t *testing.T) {
	if got, want := Parse(plainDay+"05/"+fileName).Date(), time.Date(2018, 6, 20, 0, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("Date() = %v, want %v", got, want)
	}
	if got := Parse(fileName).Date(); !got.IsZero() {
		t.Errorf("Date() of a bare file name = %v, want zero", got)
	}
}

func TestValidRegion(t *testing.T) {
	for _, s := range []string{"us-east-1", "us-gov-west-1", "cn-north-1", "eu-central-2", "ap-southeast-7", "us-isob-east-1", "il-central-1"} {
		if !ValidRegion(s) {
			t.Errorf("ValidRegion(%q) = false, want true", s)
		}
	}
	for _, s := range []string{"", "us", "us-east", "us-east-", "US-EAST-1", "useast1", "u-east-1", "us-east-123", "us--1", "us-a-b-c-d-1", "us-east-1a"} {
		if ValidRegion(s) {
			t.Errorf("ValidRegion(%q) = true, want false", s)
		}
	}
}

func TestValidOrgAndAccount(t *testing.T) {
	cases := []struct {
		s            string
		org, account bool
	}{
		{"o-abcdef1234", true, false},
		{"o-abc", false, false},
		{"o-ABCDEF1234", false, false},
		{"123456789012", false, true},
		{"1234567890123", false, false},
		{"12345678901a", false, false},
	}
	for _, c := range cases {
		if got := ValidOrgID(c.s); got != c.org {
			t.Errorf("ValidOrgID(%q) = %v, want %v", c.s, got, c.org)
		}
		if got := ValidAccountID(c.s); got != c.account {
			t.Errorf("ValidAccountID(%q) = %v, want %v", c.s, got, c.account)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		plainDay + fileName, plainDay + "23/" + fileName, hiveDay + fileName, hiveDay + "hour=00/" + fileName,
		"s3://b/p/q/" + plainDay, `C:\x\` + plainDay + fileName, "AWSLogs/o-abcdef1234/" + plainDay[8:],
		"AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/13/40/" + fileName, fileName, "", "AWSLogs/", `\\`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, key string) {
		i := Parse(key)
		if i.Layout == None {
			if i.Year != 0 || i.Hour != -1 || i.Prefix != "" || i.OrgID != "" {
				t.Fatalf("Parse(%q): layout None with folder facts: %+v", key, i)
			}
			return
		}
		if !ValidAccountID(i.AccountID) || i.Region == "" || !ValidRegion(i.Region) || i.Service == "" {
			t.Fatalf("Parse(%q): layout %s without valid account/region/service: %+v", key, i.Layout, i)
		}
		if !validDate(i.Year, i.Month, i.Day) {
			t.Fatalf("Parse(%q): layout %s with invalid date: %+v", key, i.Layout, i)
		}
		if i.Layout.IsHourly() != (i.Hour >= 0) || i.Hour > 23 {
			t.Fatalf("Parse(%q): layout %s with hour %d", key, i.Layout, i.Hour)
		}
		if !i.UnderAWSLogs {
			t.Fatalf("Parse(%q): layout %s but not under AWSLogs", key, i.Layout)
		}
	})
}
