package awsconf

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// isolate points the SDK's shared files and environment at nothing, so only what a test sets
// is used.
func isolate(t *testing.T) {
	for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE",
		"AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ENDPOINT_URL"} {
		t.Setenv(k, "")
	}
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(t.TempDir(), "none"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(t.TempDir(), "none"))
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
}

// --profile selects a profile of the shared config files, its region included.
func TestLoadProfile(t *testing.T) {
	isolate(t)
	dir := t.TempDir()
	creds := filepath.Join(dir, "credentials")
	os.WriteFile(creds, []byte("[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = d\n\n[ir-readonly]\naws_access_key_id = AKIDIR\naws_secret_access_key = s\n"), 0o600)
	conf := filepath.Join(dir, "config")
	os.WriteFile(conf, []byte("[profile ir-readonly]\nregion = eu-west-1\n"), 0o600)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", creds)
	t.Setenv("AWS_CONFIG_FILE", conf)
	cfg, err := Load(context.Background(), Options{Profile: "ir-readonly"})
	if err != nil {
		t.Fatal(err)
	}
	c, err := cfg.Credentials.Retrieve(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if c.AccessKeyID != "AKIDIR" || cfg.Region != "eu-west-1" {
		t.Errorf("profile: key %s region %s", c.AccessKeyID, cfg.Region)
	}
	cfg, err = Load(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if c, _ := cfg.Credentials.Retrieve(context.Background()); c.AccessKeyID != "AKIDDEFAULT" {
		t.Errorf("default chain: key %s", c.AccessKeyID)
	}
	if _, err := Load(context.Background(), Options{Profile: "missing"}); err == nil || !strings.Contains(err.Error(), `profile "missing"`) {
		t.Errorf("missing profile: %v", err)
	}
}

// --role-arn assumes the role with the chain's credentials (STS AssumeRole over the wire) and
// signs with the temporary ones.
func TestLoadAssumesRole(t *testing.T) {
	isolate(t)
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDBASE")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "base-secret")
	var mu sync.Mutex
	var got url.Values
	var auth string
	sts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		got, _ = url.ParseQuery(string(body))
		auth = r.Header.Get("Authorization")
		mu.Unlock()
		w.Header().Set("Content-Type", "text/xml")
		io.WriteString(w, `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>
<Credentials><AccessKeyId>ASIAASSUMED</AccessKeyId><SecretAccessKey>temp-secret</SecretAccessKey><SessionToken>token</SessionToken>
<Expiration>`+time.Now().Add(time.Hour).UTC().Format(time.RFC3339)+`</Expiration></Credentials>
<AssumedRoleUser><Arn>arn:aws:sts::128580493817:assumed-role/ir/flowdig</Arn><AssumedRoleId>AROA:flowdig</AssumedRoleId></AssumedRoleUser>
</AssumeRoleResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></AssumeRoleResponse>`)
	}))
	defer sts.Close()
	t.Setenv("AWS_ENDPOINT_URL_STS", sts.URL)
	role := "arn:aws:iam::128580493817:role/ir"
	cfg, err := Load(context.Background(), Options{Region: "us-east-1", RoleARN: role})
	if err != nil {
		t.Fatal(err)
	}
	c, err := cfg.Credentials.Retrieve(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if c.AccessKeyID != "ASIAASSUMED" || c.SessionToken != "token" {
		t.Errorf("assumed credentials: %s", c.AccessKeyID)
	}
	if got.Get("Action") != "AssumeRole" || got.Get("RoleArn") != role || !strings.HasPrefix(got.Get("RoleSessionName"), "flowdig-") {
		t.Errorf("AssumeRole request: %v", got)
	}
	if !strings.Contains(auth, "Credential=AKIDBASE/") {
		t.Errorf("AssumeRole not signed with the chain's credentials: %s", auth)
	}
}

func TestBackoff(t *testing.T) {
	b := Backoff{Base: 100 * time.Millisecond, Max: time.Second}
	for attempt := 1; attempt <= 10; attempt++ {
		ceil := min(time.Second, 100*time.Millisecond<<(attempt-1))
		var hi time.Duration
		for range 200 {
			d := b.Delay(attempt)
			if d <= 0 || d > ceil {
				t.Fatalf("attempt %d: delay %v outside (0, %v]", attempt, d, ceil)
			}
			hi = max(hi, d)
		}
		if hi < ceil/2 {
			t.Errorf("attempt %d: no delay above %v in 200 draws: not jittered over the range", attempt, ceil/2)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := Sleep(ctx, time.Hour); err == nil {
		t.Error("Sleep ignored a cancelled context")
	}
	if got := RedactURL("https://user:pw@minio.local:9000/x"); got != "https://minio.local:9000/x" {
		t.Errorf("RedactURL = %s", got)
	}
}
