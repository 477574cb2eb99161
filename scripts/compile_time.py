#!/usr/bin/env python3
"""Compile time of 200 Clerk-like endpoints, restruct against hand-written reqwest code.

Generates a workspace with two crates of the same 200 endpoints (40% GET with 2-3 optional
query parameters, 30% POST with a 3-5 field JSON body, 15% PATCH, 15% DELETE): `gen-restruct`
with `#[endpoint]` (and `gen-nobuilder`, the same without the builder), `gen-reqwest` hand-written with reqwest + percent-encoding, each endpoint a
request struct with an `async fn send`. Then measures, for each crate, the CPU time (user + sys
of cargo and everything it runs) of:

- clean:       `cargo build` of the crate alone after `cargo clean -p` (dependencies built)
- incremental: `cargo build` after changing one line of one endpoint (debug, incremental)
- check:       `cargo check` of the crate alone after `cargo clean -p`

three rounds, the crates interleaved (their order rotated every round), median of the three.
A third crate, `gen-nobuilder`, is the restruct one with restruct's `builder` feature off.

    scripts/compile_time.py [--dir DIR] [--rounds 3]

The generated workspace goes to DIR (default target/compile-time next to CARGO_TARGET_DIR or
./target); it has its own target dir inside DIR. Nothing here runs in CI.
"""

import argparse
import os
import pathlib
import resource
import shutil
import statistics
import subprocess
import sys

REPO = pathlib.Path(__file__).resolve().parent.parent
N = 200


def kinds():
    """The method of each endpoint: 40% GET, 30% POST, 15% PATCH, 15% DELETE, mixed."""
    pattern = ["GET", "POST", "GET", "PATCH", "GET", "POST", "DELETE", "GET", "POST", "PATCH",
               "GET", "DELETE", "GET", "POST", "GET", "PATCH", "GET", "POST", "DELETE", "POST"]
    assert len(pattern) == 20
    assert pattern.count("GET") == 8 and pattern.count("POST") == 6
    assert pattern.count("PATCH") == 3 and pattern.count("DELETE") == 3
    return [pattern[i % 20] for i in range(N)]


QUERY = [("limit", "u32"), ("offset", "u32"), ("order_by", "String")]
BODY = [("name", "String"), ("description", "Option<String>"), ("public", "bool"),
        ("max_count", "Option<u32>"), ("tag", "Option<String>")]
PATCH = [("name", "Option<String>"), ("public", "Option<bool>")]


def endpoint_restruct(i, method, mark=""):
    name = f"Op{i}{method.title()}Request"
    if method == "GET":
        q = QUERY[: 2 + i % 2]
        fields = "\n".join(f"    #[query]\n    pub {f}: Option<{t}>," for f, t in q)
        return f"""#[endpoint(GET, "/things{i}/<id>{mark}", response = Thing, error = ApiErrors)]
#[derive(Debug, Clone)]
pub struct {name} {{
    pub id: String,
{fields}
}}
"""
    if method == "POST":
        b = BODY[: 3 + i % 3]
        fields = "\n".join(
            (f'    #[serde(skip_serializing_if = "Option::is_none")]\n' if t.startswith("Option") else "")
            + f"    pub {f}: {t}," for f, t in b)
        return f"""#[endpoint(POST, "/things{i}{mark}", response = Thing, error = ApiErrors)]
#[derive(Debug, Clone)]
pub struct {name} {{
{fields}
}}
"""
    if method == "PATCH":
        fields = "\n".join(
            f'    #[serde(skip_serializing_if = "Option::is_none")]\n    pub {f}: {t},' for f, t in PATCH)
        return f"""#[endpoint(PATCH, "/things{i}/<id>{mark}", response = Thing, error = ApiErrors)]
#[derive(Debug, Clone)]
pub struct {name} {{
    pub id: String,
{fields}
}}
"""
    return f"""#[endpoint(DELETE, "/things{i}/<id>{mark}", response = Deleted, error = ApiErrors)]
#[derive(Debug, Clone)]
pub struct {name} {{
    pub id: String,
}}
"""


def endpoint_reqwest(i, method, mark=""):
    name = f"Op{i}{method.title()}Request"
    if method == "GET":
        q = QUERY[: 2 + i % 2]
        fields = "\n".join(f"    pub {f}: Option<{t}>," for f, t in q)
        qfields = "\n".join(
            f'            #[serde(skip_serializing_if = "Option::is_none")]\n            {f}: Option<&\'a {t}>,'
            for f, t in q)
        qinit = ", ".join(f"{f}: self.{f}.as_ref()" for f, _ in q)
        return f"""#[derive(Debug, Clone)]
pub struct {name} {{
    pub id: String,
{fields}
}}

impl {name} {{
    pub async fn send(&self, client: &Client) -> Result<Thing, Error> {{
        #[derive(Serialize)]
        struct Query<'a> {{
{qfields}
        }}
        let url = format!("{{}}/things{i}/{{}}{mark}", client.base, segment(&self.id)?);
        let request = client.http.get(url).bearer_auth(&client.token).query(&Query {{ {qinit} }});
        decode(request.send().await?).await
    }}
}}
"""
    if method in ("POST", "PATCH"):
        b = BODY[: 3 + i % 3] if method == "POST" else PATCH
        fields = "\n".join(
            (f'    #[serde(skip_serializing_if = "Option::is_none")]\n' if t.startswith("Option") else "")
            + f"    pub {f}: {t}," for f, t in b)
        if method == "POST":
            return f"""#[derive(Debug, Clone, Serialize)]
pub struct {name} {{
{fields}
}}

impl {name} {{
    pub async fn send(&self, client: &Client) -> Result<Thing, Error> {{
        let url = format!("{{}}/things{i}{mark}", client.base);
        let request = client.http.post(url).bearer_auth(&client.token).json(self);
        decode(request.send().await?).await
    }}
}}
"""
        return f"""#[derive(Debug, Clone, Serialize)]
pub struct {name} {{
    #[serde(skip)]
    pub id: String,
{fields}
}}

impl {name} {{
    pub async fn send(&self, client: &Client) -> Result<Thing, Error> {{
        let url = format!("{{}}/things{i}/{{}}{mark}", client.base, segment(&self.id)?);
        let request = client.http.patch(url).bearer_auth(&client.token).json(self);
        decode(request.send().await?).await
    }}
}}
"""
    return f"""#[derive(Debug, Clone)]
pub struct {name} {{
    pub id: String,
}}

impl {name} {{
    pub async fn send(&self, client: &Client) -> Result<Deleted, Error> {{
        let url = format!("{{}}/things{i}/{{}}{mark}", client.base, segment(&self.id)?);
        let request = client.http.delete(url).bearer_auth(&client.token);
        decode(request.send().await?).await
    }}
}}
"""


COMMON_TYPES = """#[derive(Debug, Clone, Deserialize)]
pub struct Thing {
    pub id: String,
    pub name: String,
    pub created_at: i64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Deleted {
    pub id: String,
    pub deleted: bool,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ApiErrors {
    pub errors: Vec<ApiError>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ApiError {
    pub message: String,
    pub code: String,
}
"""

REQWEST_PRELUDE = """//! Hand-written reqwest client for the same endpoints.
#![allow(clippy::all)]

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::{Deserialize, Serialize};

const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

pub struct Client {
    pub http: reqwest::Client,
    pub base: String,
    pub token: String,
}

#[derive(Debug)]
pub enum Error {
    Path(&'static str),
    Http(reqwest::Error),
    Api(reqwest::StatusCode, Option<ApiErrors>),
}

impl From<reqwest::Error> for Error {
    fn from(e: reqwest::Error) -> Self {
        Error::Http(e)
    }
}

fn segment(value: &str) -> Result<String, Error> {
    if matches!(value, "" | "." | "..") {
        return Err(Error::Path("invalid path value"));
    }
    Ok(utf8_percent_encode(value, SEGMENT).to_string())
}

async fn decode<T: serde::de::DeserializeOwned>(response: reqwest::Response) -> Result<T, Error> {
    let status = response.status();
    let body = response.bytes().await?;
    if !status.is_success() {
        return Err(Error::Api(status, serde_json::from_slice(&body).ok()));
    }
    let body: &[u8] = if body.is_empty() { b"null" } else { &body };
    serde_json::from_slice(body).map_err(|_| Error::Api(status, None))
}

"""

# restruct's default features less `builder`.
NO_BUILDER = '"rustls-ring", "gzip", "brotli", "deflate", "zstd"'

RESTRUCT_PRELUDE = """//! restruct client for the same endpoints.
#![allow(clippy::all)]

use restruct::endpoint;
use serde::Deserialize;

"""


def source(style, mark_index=None):
    restruct = style != "reqwest"
    out = [RESTRUCT_PRELUDE if restruct else REQWEST_PRELUDE, COMMON_TYPES]
    gen = endpoint_restruct if restruct else endpoint_reqwest
    for i, method in enumerate(kinds()):
        out.append(gen(i, method, "/x" if i == mark_index else ""))
    return "\n".join(out)


STYLES = {"reqwest": "gen-reqwest", "restruct": "gen-restruct", "nobuilder": "gen-nobuilder"}


def generate(root):
    for style in STYLES:
        (root / style / "src").mkdir(parents=True, exist_ok=True)
    (root / "Cargo.toml").write_text(
        '[workspace]\nmembers = ["restruct", "nobuilder", "reqwest"]\nresolver = "2"\n')
    for style, features in (("restruct", ""), ("nobuilder", NO_BUILDER)):
        default = ", default-features = false" if features else ""
        (root / style / "Cargo.toml").write_text(f"""[package]
name = "{STYLES[style]}"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
restruct = {{ path = "{REPO}"{default}, features = [{features}] }}
serde = {{ version = "1", features = ["derive"] }}
""")
    # The same reqwest features as restruct's defaults, so both link the same dependency tree.
    (root / "reqwest" / "Cargo.toml").write_text("""[package]
name = "gen-reqwest"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
reqwest = { version = "0.13", default-features = false, features = ["json", "query", "http2", "rustls-no-provider", "gzip", "brotli", "deflate", "zstd"] }
percent-encoding = "2"
serde = { version = "1", features = ["derive"] }
serde_json = "1"
""")
    for style in STYLES:
        (root / style / "src" / "lib.rs").write_text(source(style))
    lock = REPO / "Cargo.lock"
    if lock.exists() and not (root / "Cargo.lock").exists():
        shutil.copy(lock, root / "Cargo.lock")


def cpu(cmd, cwd, env):
    """CPU seconds (user + sys) of `cmd` and all its children."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{done.stderr.decode()[-4000:]}")
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def expanded_lines(root, env, package):
    """Lines of the crate after macro expansion (rustc's `-Zunpretty=expanded`, allowed on a
    stable toolchain by RUSTC_BOOTSTRAP=1: for this count only)."""
    done = subprocess.run(
        ["cargo", "rustc", "-p", package, "--lib", "--", "-Zunpretty=expanded"],
        cwd=root, env=dict(env, RUSTC_BOOTSTRAP="1"), capture_output=True)
    if done.returncode != 0:
        sys.exit(f"expanding {package} failed:\n{done.stderr.decode()[-4000:]}")
    return len(done.stdout.decode().splitlines())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dir", type=pathlib.Path)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--expand-only", action="store_true",
                        help="only count the expanded lines per endpoint")
    args = parser.parse_args()
    target = pathlib.Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
    root = args.dir or target / "compile-time"
    generate(root)
    env = dict(os.environ, CARGO_TARGET_DIR=str(root / "target"))
    pkg = STYLES
    if args.expand_only:
        print_expanded(root, env)
        return

    # Dependencies first, outside the measurement.
    for style in pkg:
        cpu(["cargo", "build", "-p", pkg[style]], root, env)
        cpu(["cargo", "check", "-p", pkg[style]], root, env)

    times = {(s, m): [] for s in pkg for m in ("clean", "incremental", "check")}
    for r in range(args.rounds):
        order = list(pkg)[r % 3:] + list(pkg)[: r % 3]
        for style in order:
            p = pkg[style]
            lib = root / style / "src" / "lib.rs"
            cpu(["cargo", "clean", "-p", p], root, env)
            times[style, "clean"].append(cpu(["cargo", "build", "-p", p], root, env))
            # One line of one endpoint changed (its path), then back for the next round.
            lib.write_text(source(style, mark_index=N // 2 + r))
            times[style, "incremental"].append(cpu(["cargo", "build", "-p", p], root, env))
            lib.write_text(source(style))
            cpu(["cargo", "clean", "-p", p], root, env)
            times[style, "check"].append(cpu(["cargo", "check", "-p", p], root, env))
            print(f"round {r + 1} {style}: " + ", ".join(
                f"{m} {times[style, m][-1]:.2f} s" for m in ("clean", "incremental", "check")),
                flush=True)

    print(f"\n{N} endpoints, debug, CPU seconds (user + sys), median of {args.rounds}; "
          "clean and check are the crate alone, its dependencies already built")
    print(f"{'':12} {'reqwest':>8} {'restruct':>9} {'ratio':>6} {'no builder':>11} {'ratio':>6}")
    for m in ("clean", "incremental", "check"):
        a = statistics.median(times["reqwest", m])
        b = statistics.median(times["restruct", m])
        c = statistics.median(times["nobuilder", m])
        print(f"{m:12} {a:8.2f} {b:9.2f} {b / a:6.2f} {c:11.2f} {c / a:6.2f}")
    for style in ("reqwest", "restruct"):
        lines = len(source(style).splitlines())
        print(f"source lines, {style}: {lines}")
    print_expanded(root, env)


def print_expanded(root, env):
    # The common part (prelude, shared types) is the same few dozen lines on each side.
    for style, package in STYLES.items():
        lines = expanded_lines(root, env, package)
        print(f"expanded lines, {style}: {lines} ({lines / N:.0f} per endpoint)")


if __name__ == "__main__":
    main()
