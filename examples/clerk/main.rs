//! A Clerk Backend client written with restruct (the `clerk-sdk` crate,
//! `examples/clerk-sdk`), sent for real: the seed request
//! `CreateSessionTokenFromTemplateRequest`, then a realistic flow over the other operations.
//!
//! ```text
//! cargo run --example clerk                                   # against a local mini Clerk
//! CLERK_SECRET_KEY=sk_test_... cargo run --example clerk -- <session_id> <template_name>
//! cargo run --example clerk --features openapi -- --check-spec  # the SDK against Clerk's spec
//! cargo run --example clerk --features openapi -- --export-spec # the SDK as OpenAPI 3.1
//! ```
//!
//! Without `CLERK_SECRET_KEY` it starts an embedded server on 127.0.0.1 that answers like Clerk
//! (the `clerk-server` crate, `examples/clerk-server`) and stops it at the end. It prints every request it sends and what came
//! back, including a deliberate 404 and a request refused before anything is sent. Against the
//! real API only the token calls and read-only listings run: nothing is changed or deleted.

use std::error::Error as StdError;
use std::fmt::Debug;
use std::process::ExitCode;
use std::time::Duration;

use clerk_sdk as api;
use clerk_server as server;
use restruct::{Client, Endpoint, Error, FilePart, Nullable};
use serde_json::json;

use api::{
    ClerkErrors, CreateSessionToken, CreateSessionTokenFromTemplateRequest,
    CreateSessionTokenFromTemplateRequestBody, DeleteOrganizationMembership, DeleteUser, GetUser,
    GetUserList, GetUsersCount, ListOrganizations, MergeUserMetadata, UpdateInstance,
    UpdateOrganizationMembership, UpdateUser, UploadProfileImage,
};

type Result<T, E = Box<dyn StdError>> = std::result::Result<T, E>;

#[tokio::main]
async fn main() -> ExitCode {
    if let Some(code) = spec_command() {
        return code;
    }
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `--check-spec`: checks every endpoint of the SDK against Clerk's published OpenAPI
/// document (`specs/`) and prints the report; `--export-spec`: prints the OpenAPI 3.1 document
/// restruct derives from the SDK. Both need the `openapi` feature.
fn spec_command() -> Option<ExitCode> {
    let arg = std::env::args().nth(1)?;
    if arg != "--check-spec" && arg != "--export-spec" {
        return None;
    }
    #[cfg(feature = "openapi")]
    {
        use restruct::openapi;
        if arg == "--export-spec" {
            let info = openapi::Info::new("Clerk Backend API (restruct example)", api::API_VERSION)
                .server(api::BASE_URL);
            let doc = openapi::export(&api::endpoints(), &info);
            println!("{doc:#}");
            return Some(ExitCode::SUCCESS);
        }
        const SPEC: &str = include_str!("specs/clerk-bapi-2025-04-10.yml");
        Some(match openapi::check(SPEC, &api::endpoints()) {
            Ok(report) => {
                println!("the SDK against specs/clerk-bapi-2025-04-10.yml\n\n{report}");
                if report.is_ok() {
                    ExitCode::SUCCESS
                } else {
                    ExitCode::FAILURE
                }
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        })
    }
    #[cfg(not(feature = "openapi"))]
    {
        eprintln!("error: `{arg}` needs the `openapi` feature: cargo run --example clerk --features openapi -- {arg}");
        Some(ExitCode::FAILURE)
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
    let mut result = tokens(&client, &target).await;
    if result.is_ok() {
        result = match &target.local {
            Some(server) => flow(&client, server).await,
            None => read_only(&client).await,
        };
    }
    if result.is_ok() {
        println!("\ndone");
    }
    drop(client);
    if let Some(server) = target.local {
        server.shutdown().await;
    }
    result
}

async fn tokens(client: &Client, target: &Target) -> Result<()> {
    step("mint a session token from a JWT template (the seed request)");
    let req = CreateSessionTokenFromTemplateRequest {
        session_id: target.session_id.clone(),
        template_name: target.template_name.clone(),
        request_body: None,
    };
    show_request(client, &req);
    let token = client.call(&req).full().await?;
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

    step("an empty session id, `..` as the template, a 10 s lifetime: refused before anything is sent");
    let req = CreateSessionTokenFromTemplateRequest {
        session_id: String::new(),
        template_name: "..".into(),
        request_body: Some(CreateSessionTokenFromTemplateRequestBody {
            expires_in_seconds: Some(10),
        }),
    };
    let seen = target.local.as_ref().map(|s| s.requests().len());
    match req.send(client).await {
        Err(Error::Validation(errors)) => {
            println!("  <- Error::Validation ({} violations):", errors.len());
            for v in errors.violations() {
                println!("     {:<32} rule={:<5} {}", v.field, v.rule, v.message);
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
    Ok(())
}

/// Against the real API: listings only.
async fn read_only(client: &Client) -> Result<()> {
    step("count the users");
    let req = GetUsersCount::default();
    show_request(client, &req);
    println!("  <- {} users", req.send(client).await?.total_count);

    step("the five newest users");
    let req = GetUserList {
        limit: Some(5),
        order_by: Some("-created_at".into()),
        ..GetUserList::default()
    };
    show_request(client, &req);
    for user in req.send(client).await? {
        show_user(&user);
    }

    step("page through organizations, 5 a page, at most 3 pages");
    let mut pages = client.paginate(ListOrganizations::default()).page_size(5);
    while let Some(page) = pages.next_page().await {
        let page = page?;
        let names: Vec<_> = page.iter().map(|o| o.name.as_str()).collect();
        println!("  <- page {}: {names:?}", pages.pages_fetched());
        if pages.pages_fetched() == 3 {
            break;
        }
    }
    Ok(())
}

/// Against the local server: every operation, in the order an admin tool would use them.
async fn flow(client: &Client, server: &server::MiniClerk) -> Result<()> {
    let bob = find_users(client).await?;
    edit_user(client, &bob).await?;
    mint_token(client).await?;
    page_through(client).await?;
    manage_memberships(client, &bob).await?;
    delete_user(client).await?;
    update_instance(client, server).await
}

/// Finds users by email and by a search; gives the id of the first one found (bob).
async fn find_users(client: &Client) -> Result<String> {
    step("list users by email (a repeated-key filter)");
    let req = GetUserList {
        email_address: vec!["bob@example.com".into(), "carol@example.com".into()],
        order_by: Some("first_name".into()),
        ..GetUserList::default()
    };
    show_request(client, &req);
    let users = req.send(client).await?;
    for user in &users {
        show_user(user);
    }
    let bob = users
        .first()
        .ok_or("no user has bob@example.com")?
        .id
        .clone();

    step("count users matching a search");
    let req = GetUsersCount {
        query: Some("work.example".into()),
        ..GetUsersCount::default()
    };
    show_request(client, &req);
    println!("  <- total_count={}", req.send(client).await?.total_count);

    Ok(bob)
}

/// Updates a user, its metadata and its picture, and reads it back.
async fn edit_user(client: &Client, bob: &str) -> Result<()> {
    step("update one: set first_name, clear last_name, keep the rest (Nullable)");
    let req = UpdateUser {
        user_id: bob.to_owned(),
        first_name: "Robert".into(),
        last_name: Nullable::Null,
        external_id: "crm-4711".into(),
        ..UpdateUser::default()
    };
    show_request(client, &req);
    show_user(&req.send(client).await?);

    step("merge metadata, then remove a key with null");
    let req = MergeUserMetadata {
        user_id: bob.to_owned(),
        public_metadata: Some(json!({"plan": "pro", "flags": {"beta": true, "dark": true}})),
        ..MergeUserMetadata::default()
    };
    show_request(client, &req);
    println!(
        "  <- public_metadata={}",
        req.send(client).await?.public_metadata
    );
    let req = MergeUserMetadata {
        user_id: bob.to_owned(),
        public_metadata: Some(json!({"flags": {"beta": null}})),
        ..MergeUserMetadata::default()
    };
    show_request(client, &req);
    println!(
        "  <- public_metadata={}",
        req.send(client).await?.public_metadata
    );

    step("read the user back");
    let req = GetUser {
        user_id: bob.to_owned(),
    };
    show_request(client, &req);
    show_user(&req.send(client).await?);

    step("upload a profile image (a multipart body, declared with `multipart`)");
    let req = UploadProfileImage {
        user_id: bob.to_owned(),
        file: Some(
            FilePart::new(b"\x89PNG\r\n\x1a\n not really a picture".to_vec())
                .file_name("robert.png")
                .content_type("image/png"),
        ),
    };
    let sent = client.call(&req).to_request()?;
    println!(
        "  -> {} {} ({}, {} bytes)",
        sent.method(),
        sent.uri(),
        sent.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default(),
        sent.body().len()
    );
    let user = client.send(&req).await?;
    println!(
        "  <- has_image={} image_url={}",
        user.has_image,
        user.image_url.unwrap_or_default()
    );

    Ok(())
}

/// Mints a session token without a template.
async fn mint_token(client: &Client) -> Result<()> {
    step("mint a session token without a template, 2 minutes");
    let req = CreateSessionToken {
        session_id: server::SESSION_ID.into(),
        expires_in_seconds: Nullable::Value(120),
    };
    show_request(client, &req);
    show_token(&req.send(client).await?);

    Ok(())
}

/// Pages through organizations and users, a page and an item at a time.
async fn page_through(client: &Client) -> Result<()> {
    step("page through organizations, 3 a page ({data, total_count} pages)");
    let mut pages = client
        .paginate(ListOrganizations {
            include_members_count: Some(true),
            order_by: Some("name".into()),
            ..ListOrganizations::default()
        })
        .page_size(3);
    while let Some(page) = pages.next_page().await {
        let page = page?;
        let names: Vec<_> = page
            .iter()
            .map(|o| format!("{} ({})", o.name, o.members_count.unwrap_or(0)))
            .collect();
        println!(
            "  <- page {} of total_count={}: {}",
            pages.pages_fetched(),
            pages.total_count().unwrap_or(0),
            names.join(", ")
        );
    }

    step("every user, 5 a page, one at a time (bare-array pages)");
    let mut users = client.paginate(GetUserList::default()).page_size(5);
    let mut handles = Vec::new();
    while let Some(user) = users.next().await {
        handles.push(user?.username.unwrap_or_default());
    }
    println!(
        "  <- {} users in {} requests: {}",
        handles.len(),
        users.pages_fetched(),
        handles.join(" ")
    );

    Ok(())
}

/// Changes a role in an organization and removes a member.
async fn manage_memberships(client: &Client, bob: &str) -> Result<()> {
    step("make bob an admin of Acme");
    let req = UpdateOrganizationMembership {
        organization_id: "org_2acme".into(),
        user_id: bob.to_owned(),
        role: "org:admin".into(),
    };
    show_request(client, &req);
    let m = req.send(client).await?;
    println!(
        "  <- {} {} is {} of {}",
        m.id,
        m.identifier().unwrap_or("-"),
        m.role,
        m.organization.name
    );

    step("remove carol from Acme");
    let req = DeleteOrganizationMembership {
        organization_id: "org_2acme".into(),
        user_id: "user_2carol".into(),
    };
    show_request(client, &req);
    let m = req.send(client).await?;
    println!("  <- removed {} ({})", m.id, m.identifier().unwrap_or("-"));

    Ok(())
}

/// Deletes a user, then looks for it.
async fn delete_user(client: &Client) -> Result<()> {
    step("delete a user, then look for it (a 404)");
    let req = DeleteUser {
        user_id: "user_2mallory".into(),
    };
    show_request(client, &req);
    let deleted = req.send(client).await?;
    println!(
        "  <- object={} id={} deleted={}",
        deleted.object,
        deleted.id.as_deref().unwrap_or("-"),
        deleted.deleted
    );
    let req = GetUser {
        user_id: "user_2mallory".into(),
    };
    show_request(client, &req);
    expect_api_error(req.send(client).await, 404)?;

    Ok(())
}

/// Changes the instance settings.
async fn update_instance(client: &Client, server: &server::MiniClerk) -> Result<()> {
    step("instance settings: clear the support email, turn HIBP off (204 No Content)");
    let req = UpdateInstance {
        support_email: Nullable::Null,
        hibp: Nullable::Value(false),
        allowed_origins: Some(vec!["https://app.example.com".into()]),
        ..UpdateInstance::default()
    };
    show_request(client, &req);
    let response = client.call(&req).full().await?;
    println!("  <- {} (body: {:?})", response.status, response.body);
    println!("     the server now has {}", server.instance());
    Ok(())
}

fn show_user(user: &api::User) {
    println!(
        "  <- {} {} {} <{}> username={} external_id={}",
        user.id,
        user.first_name.as_deref().unwrap_or("(none)"),
        user.last_name.as_deref().unwrap_or("(none)"),
        user.primary_email().unwrap_or("-"),
        user.username.as_deref().unwrap_or("-"),
        user.external_id.as_deref().unwrap_or("-"),
    );
}

fn step(title: &str) {
    println!("\n== {title}");
}

/// Prints the request as it will go on the wire (the secret redacted), or why it would not.
fn show_request<T: Endpoint>(client: &Client, endpoint: &T)
where
    T::Error: Debug,
{
    match client.call(endpoint).to_request() {
        Ok(request) => {
            println!("  -> {} {}", request.method(), request.uri());
            let headers: Vec<_> = request
                .headers()
                .iter()
                .filter(|(name, _)| *name != "user-agent")
                .map(|(name, value)| {
                    let shown = if value.is_sensitive() {
                        "<redacted>"
                    } else {
                        value.to_str().unwrap_or("<binary>")
                    };
                    format!("{name}: {shown}")
                })
                .collect();
            println!("     {}", headers.join(" | "));
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
