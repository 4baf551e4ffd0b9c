# Varnish with vmod xkey in front of HOLR: pages are cached for their s-maxage (a day
# with HOLR_CDN_PURGE=varnish) and purged by key the moment a change commits
# (pagecache/cdn.py, docs/operating.md "A CDN in front of the pages").
#
# Debian: apt-get install varnish varnish-modules; copy this file to
# /etc/varnish/default.vcl. Varnish does not speak TLS: nginx (deploy/nginx/holr.conf)
# terminates it and proxies to Varnish (its upstream becomes 127.0.0.1:6081), and Varnish
# to gunicorn. Every app server sets:
#   HOLR_CDN_PURGE=varnish
#   HOLR_CDN_PURGE_URL=http://<this host>:6081
# tests/test_cdn_purge.py compiles this file with `varnishd -C` and runs it against a
# fake origin, with only the backend's address swapped.

vcl 4.1;

import xkey;

backend holr {
    .path = "/run/holr/gunicorn.sock";
}

# Who may purge: this host, and the app servers' private network (change it to yours).
acl purgers {
    "localhost";
    "127.0.0.1";
    "::1";
    "10.0.0.0"/24;
}

sub vcl_recv {
    # The app's purge: PURGE with the keys in xkey-purge (space-separated), as purge() sends
    # it. Only straight from an allowed address: a request relayed by a proxy (nginx) carries
    # an X-Forwarded-For of its own, to which Varnish appends the proxy's address.
    if (req.method == "PURGE") {
        if (client.ip !~ purgers || req.http.X-Forwarded-For ~ ",") {
            return (synth(403, "Forbidden"));
        }
        if (!req.http.xkey-purge) {
            return (synth(400, "No xkey-purge header"));
        }
        # A hard purge, not xkey.softpurge: a soft-purged page could still be served stale
        # (grace, stale-while-revalidate) after the change.
        set req.http.n-gone = xkey.purge(req.http.xkey-purge);
        return (synth(200, "Invalidated " + req.http.n-gone + " objects"));
    }
    # Signed-in staff go straight to the app; readers' other cookies (csrftoken…) do not
    # split the cache. Only reads are cached: a POST keeps its cookies.
    if (req.method == "GET" || req.method == "HEAD") {
        if (req.http.Cookie ~ "(^|;\s*)sessionid=") {
            return (pass);
        }
        unset req.http.Cookie;
    }
    # Varnish's built-in vcl_recv follows: it passes Authorization, other methods, and so on.
}

sub vcl_backend_response {
    # The page's keys: xkey indexes the object by its xkey header.
    if (beresp.http.Surrogate-Key) {
        set beresp.http.xkey = beresp.http.Surrogate-Key;
    }
    unset beresp.http.Surrogate-Key;
    unset beresp.http.Cache-Tag;
    # Varnish's built-in vcl_backend_response follows: s-maxage, private, no-store, Set-Cookie.
}

sub vcl_deliver {
    # Keys are for caches, not readers.
    unset resp.http.xkey;
    unset resp.http.Surrogate-Key;
    unset resp.http.Cache-Tag;
}
