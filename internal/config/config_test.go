package config

import (
	"io"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		want    func(Config) bool
		wantErr string
	}{
		{name: "defaults", want: func(c Config) bool {
			return c.Addr == "127.0.0.1:8080" && c.DatabaseURL == "tend-data/tend.db" &&
				c.MaxAttachments == 10 && c.MaxAttachmentMB == 25 &&
				c.BaseURL == "http://127.0.0.1:8080" && !c.Demo
		}},
		{name: "env", env: map[string]string{"TEND_ADDR": "0.0.0.0:9000", "TEND_DEMO": "1"},
			want: func(c Config) bool { return c.Addr == "0.0.0.0:9000" && c.Demo }},
		{name: "flag wins", args: []string{"--addr", "127.0.0.1:1"}, env: map[string]string{"TEND_ADDR": "0.0.0.0:9000"},
			want: func(c Config) bool { return c.Addr == "127.0.0.1:1" }},
		{name: "bare demo flag", args: []string{"--demo", "--clock", "2026-03-02T09:00:00-05:00"},
			want: func(c Config) bool { return c.Demo && c.ClockStart.Hour() == 9 }},
		{name: "clock needs demo", args: []string{"--clock", "2026-03-02T09:00:00-05:00"}, wantErr: "only allowed with --demo"},
		{name: "bad clock", args: []string{"--demo", "--clock", "monday"}, wantErr: "--clock"},
		{name: "bad smtp", args: []string{"--smtp-url", "mail.example.com"}, wantErr: "--smtp-url"},
		{name: "tls pair", args: []string{"--tls-cert", "c.pem"}, wantErr: "together"},
		{name: "bad level", env: map[string]string{"TEND_LOG_LEVEL": "loud"}, wantErr: "--log-level"},
		{name: "private feeds", args: []string{"--allow-private-feeds"},
			want: func(c Config) bool { return c.AllowPrivateFeeds }},
		{name: "bad bool", env: map[string]string{"TEND_ALLOW_PRIVATE_FEEDS": "maybe"}, wantErr: "--allow-private-feeds"},
		{name: "bad blob url", args: []string{"--blob-url", "ftp://x"}, wantErr: "--blob-url"},
		{name: "s3 blob url", args: []string{"--blob-url", "s3://att?endpoint=127.0.0.1:9000"},
			want: func(c Config) bool { return c.BlobURL == "s3://att?endpoint=127.0.0.1:9000" }},
		{name: "attachment limits", args: []string{"--max-attachment-mb", "5", "--max-attachments", "3"},
			want: func(c Config) bool { return c.MaxAttachmentMB == 5 && c.MaxAttachments == 3 }},
		{name: "bad attachment size", env: map[string]string{"TEND_MAX_ATTACHMENT_MB": "0"}, wantErr: "--max-attachment-mb"},
		{name: "postgres", args: []string{"--database-url", "postgres://x@h/db"},
			want: func(c Config) bool { return c.UsesPostgres() }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			getenv := func(k string) string { return tt.env[k] }
			c, _, err := Parse("serve", tt.args, getenv, io.Discard)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want it to mention %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if !tt.want(c) {
				t.Errorf("unexpected config %+v", c)
			}
		})
	}
}
