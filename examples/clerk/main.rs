//! Sends Clerk's `CreateSessionTokenFromTemplateRequest` for real.
//!
//! ```text
//! cargo run --example clerk                                   # against a local mini Clerk
//! CLERK_SECRET_KEY=sk_test_... cargo run --example clerk -- <session_id> <template_name>
//! ```
//!
//! Without `CLERK_SECRET_KEY` it starts an embedded server on 127.0.0.1 that answers like Clerk
//! (see `server.rs`) and stops it at the end. It prints every request it sends and what came
//! back, including a deliberate 404 and a request refused before anything is sent.

mod api;
mod server;

use std::error::Error as StdError;
use std::fmt::Debug;
use std::process::ExitCode;
use std::time::Duration;

use restruct::{Client, Endpoint, Error};

use api::{
    ClerkErrors, CreateSessionTokenFromTemplateRequest, CreateSessionTokenFromTemplateRequestBody,
};

type Result<T, E = Box<dyn StdError>> = std::result::Result<T, E>;

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Where the example sends its requests.
struct Target {
    base_url: String,
    secret: String,
    session_id: String,
    template_name: String,
    local: Option<server::MiniClerk>,
}

async fn run() -> Result<()> {
    let target = match std::env::var("CLERK_SECRET_KEY") {
        Ok(secret) if !secret.trim().is_empty() => {
            let mut args = std::env::args().skip(1);
            let (Some(session_id), Some(template_name)) = (args.next(), args.next()) else {
                return Err(
                    "CLERK_SECRET_KEY is set: pass a session id and a JWT template name, \
                     as in `cargo run --example clerk -- sess_123 custom_hasura`"
                        .into(),
                );
            };
            println!("CLERK_SECRET_KEY is set: calling {}", api::BASE_URL);
            Target {
                base_url: api::BASE_URL.to_owned(),
                secret,
                session_id,
                template_name,
                local: None,
            }
        }
        _ => {
            let server = server::MiniClerk::start().await?;
            println!(
                "CLERK_SECRET_KEY is not set: calling a local mini Clerk at {}",
                server.base_url()
            );
            Target {
                base_url: server.base_url(),
                secret: server::SECRET_KEY.to_owned(),
                session_id: server::SESSION_ID.to_owned(),
                template_name: server::TEMPLATE.to_owned(),
                local: Some(server),
            }
        }
    };
    let client = Client::builder()
        .base_url(&target.base_url)
        .bearer_auth(&target.secret)
        .user_agent("restruct-clerk-example")
        // Never hang, whatever the network does.
        .timeout(Duration::from_secs(15))
        .build()?;
    let result = walk(&client, &target).await;
    drop(client);
    if let Some(server) = target.local {
        server.shutdown().await;
    }
    result
}

async fn walk(client: &Client, target: &Target) -> Result<()> {
    step("mint a session token from a JWT template (the seed request)");
    let req = CreateSessionTokenFromTemplateRequest {
        session_id: target.session_id.clone(),
        template_name: target.template_name.clone(),
        request_body: None,
    };
    show_request(client, &req);
    let token = req.send_full(client).await?;
    println!(
        "  <- {} token ({} bytes)",
        token.status,
        token.body.jwt.len()
    );
    show_token(&token.body);

    step("the same with a lifetime of one hour");
    let req = CreateSessionTokenFromTemplateRequest {
        request_body: Some(CreateSessionTokenFromTemplateRequestBody {
            expires_in_seconds: Some(3600),
        }),
        ..req
    };
    show_request(client, &req);
    let token = req.send(client).await?;
    show_token(&token);

    step("an unknown session: a deliberate 404");
    let req = CreateSessionTokenFromTemplateRequest {
        session_id: "sess_restruct_does_not_exist".into(),
        template_name: target.template_name.clone(),
        request_body: None,
    };
    show_request(client, &req);
    expect_api_error(req.send(client).await, 404)?;

    step("a lifetime outside 30..=315360000: the server refuses it");
    let req = CreateSessionTokenFromTemplateRequest {
        session_id: target.session_id.clone(),
        template_name: target.template_name.clone(),
        request_body: Some(CreateSessionTokenFromTemplateRequestBody {
            expires_in_seconds: Some(10),
        }),
    };
    show_request(client, &req);
    expect_api_error(req.send(client).await, 422)?;

    step("values that cannot be a URL path: refused before anything is sent");
    let req = CreateSessionTokenFromTemplateRequest {
        session_id: String::new(),
        template_name: "..".into(),
        request_body: None,
    };
    let seen = target.local.as_ref().map(|s| s.requests().len());
    match req.send(client).await {
        Err(Error::Validation(errors)) => {
            println!("  <- Error::Validation ({} violations):", errors.len());
            for v in errors.violations() {
                println!("     {:<14} rule={:<5} {}", v.field, v.rule, v.message);
            }
        }
        other => return Err(format!("expected a validation error, got {other:?}").into()),
    }
    if let (Some(server), Some(before)) = (&target.local, seen) {
        let after = server.requests().len();
        println!("     the server saw {before} requests before and {after} after");
        if after != before {
            return Err("a request that failed validation reached the server".into());
        }
    }

    if let Some(server) = &target.local {
        step("a wrong secret key: 401");
        let intruder = Client::builder()
            .base_url(server.base_url())
            .bearer_auth("sk_test_wrong")
            .timeout(Duration::from_secs(15))
            .build()?;
        let req = CreateSessionTokenFromTemplateRequest {
            session_id: target.session_id.clone(),
            template_name: target.template_name.clone(),
            request_body: None,
        };
        expect_api_error(req.send(&intruder).await, 401)?;
    }
    println!("\ndone");
    Ok(())
}

fn step(title: &str) {
    println!("\n== {title}");
}

/// Prints the request as it will go on the wire (the secret redacted), or why it would not.
fn show_request<T: Endpoint>(client: &Client, endpoint: &T)
where
    T::Error: Debug,
{
    match client.request(endpoint) {
        Ok(request) => {
            println!("  -> {} {}", request.method(), request.uri());
            for (name, value) in request.headers() {
                let shown = if value.is_sensitive() {
                    "<redacted>"
                } else {
                    value.to_str().unwrap_or("<binary>")
                };
                println!("     {name}: {shown}");
            }
            if !request.body().is_empty() {
                println!("     {}", String::from_utf8_lossy(request.body()));
            }
        }
        Err(e) => println!("  -> not sent: {e}"),
    }
}

fn show_token(token: &api::Token) {
    let head: String = token.jwt.chars().take(48).collect();
    println!("     object={} jwt={head}…", token.object);
    if let Some(claims) = api::jwt_claims(&token.jwt) {
        let lifetime = claims["exp"].as_u64().zip(claims["iat"].as_u64());
        println!("     claims: {claims}");
        if let Some((exp, iat)) = lifetime {
            println!("     lifetime: {} s", exp.saturating_sub(iat));
        }
    }
}

/// Prints a Clerk API error as restruct hands it over; any other outcome is a failure.
fn expect_api_error<T: Debug>(result: Result<T, Error<ClerkErrors>>, status: u16) -> Result<()> {
    let err = match result {
        Err(err @ Error::Api(_)) if err.status().map(|s| s.as_u16()) == Some(status) => err,
        other => return Err(format!("expected a {status} from the API, got {other:?}").into()),
    };
    println!("  <- Error::Api: {err}");
    if let Error::Api(api) = &err {
        match &api.parsed {
            Some(parsed) => {
                println!("     parsed as ClerkErrors:");
                for e in &parsed.errors {
                    println!(
                        "       code={} message={:?} long_message={:?}{}",
                        e.code,
                        e.message,
                        e.long_message,
                        e.meta
                            .as_ref()
                            .map_or_else(String::new, |m| format!(" meta={m}"))
                    );
                }
                if let Some(trace) = &parsed.clerk_trace_id {
                    println!("       clerk_trace_id={trace}");
                }
            }
            None => println!("     (the body is not ClerkErrors: {})", api.body_text()),
        }
    }
    Ok(())
}
