// Package platform holds cross-cutting infrastructure: tenancy, auth context.
package platform

import (
	"context"
	"errors"
	"strconv"
	"strings"
)

// implements REQ-0026: strict data isolation between tenants.
//
// The tenant of a request comes from the verified authentication token and is
// put in the context by the auth middleware. It is never read from the URL or
// the request body. The data-access layer refuses to run a query without it.

type tenantKey struct{}

// ErrNoTenant is returned when a query is attempted outside a tenant scope.
var ErrNoTenant = errors.New("query without tenant scope refused")

// WithTenant returns a context scoped to a tenant.
func WithTenant(ctx context.Context, tenant string) context.Context {
	return context.WithValue(ctx, tenantKey{}, tenant)
}

// Tenant returns the tenant of the context.
func Tenant(ctx context.Context) (string, bool) {
	t, ok := ctx.Value(tenantKey{}).(string)
	return t, ok && t != ""
}

// Scoped adds the tenant condition to a SQL query. Every repository builds
// its queries through Scoped; a linter in CI forbids direct calls to the
// database driver.
func Scoped(ctx context.Context, query string, args ...any) (string, []any, error) {
	t, ok := Tenant(ctx)
	if !ok {
		return "", nil, ErrNoTenant
	}
	cond := "tenant_id = $" + strconv.Itoa(len(args)+1)
	q := strings.TrimSpace(query)
	if strings.Contains(strings.ToUpper(q), " WHERE ") {
		q += " AND " + cond
	} else {
		q += " WHERE " + cond
	}
	return q, append(args, t), nil
}
