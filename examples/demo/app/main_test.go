package main

import (
	"io"
	"net/http/httptest"
	"strings"
	"testing"
)

func get(t *testing.T, s settings, path string) (int, string) {
	t.Helper()
	response := httptest.NewRecorder()
	handler(s).ServeHTTP(response, httptest.NewRequest("GET", path, nil))
	body, _ := io.ReadAll(response.Result().Body)
	return response.Code, string(body)
}

func TestPageNamesEnvironmentColourAndVersion(t *testing.T) {
	code, body := get(t, settings{"demo-main", "green", "/demo-main/"}, "/")
	if code != 200 {
		t.Fatalf("GET / answered %d", code)
	}
	for _, want := range []string{"Hello from demo-main", "version " + version, "served by green", `href="/demo-main/health"`} {
		if !strings.Contains(body, want) {
			t.Errorf("the page lacks %q:\n%s", want, body)
		}
	}
}

func TestValuesAreEscaped(t *testing.T) {
	_, body := get(t, settings{"<b>", "blue", "/"}, "/")
	if strings.Contains(body, "<b>") {
		t.Errorf("the environment's name was not escaped:\n%s", body)
	}
}

func TestHealth(t *testing.T) {
	if code, body := get(t, settings{}, "/health"); code != 200 || strings.TrimSpace(body) != "ok" {
		t.Errorf("GET /health answered %d %q", code, body)
	}
}

func TestUnknownPath(t *testing.T) {
	if code, _ := get(t, settings{}, "/nope"); code != 404 {
		t.Errorf("GET /nope answered %d, not 404", code)
	}
}
