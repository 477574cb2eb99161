//! The attribute's own arguments: `#[endpoint(POST, "/path", response = T, ...)]`.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;
use syn::ext::IdentExt as _;
use syn::parse::{ParseStream, Parser as _};
use syn::{LitStr, Path, Token, Type};

use crate::ctxt::Ctxt;
use crate::suggest;

pub const METHODS: [&str; 7] = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];
const OPTIONS: [&str; 11] = [
    "response",
    "error",
    "form",
    "idempotent",
    "idempotency_key",
    "headers",
    "crate",
    "decode",
    "api",
    "multipart",
    "paginate",
];

pub struct Args {
    /// The method as written; its name is one of `METHODS` unless an error was reported.
    pub method: Ident,
    pub template: LitStr,
    pub response: Option<Type>,
    pub error: Option<Type>,
    pub form: Option<Ident>,
    /// `form(arrays = brackets)`: sequences in a form body as `key[]=value`.
    pub form_brackets: bool,
    pub idempotent: Option<Ident>,
    /// `idempotency_key`, `idempotency_key = "Name"` or `idempotency_key = false`, with the
    /// option's name for spans.
    pub idempotency_key: Option<(Ident, IdempotencyKey)>,
    pub krate: Option<Path>,
    /// `headers("Name: value", ...)`: sent with every request of this endpoint.
    pub headers: Vec<StaticHeader>,
    /// `decode = text | bytes | json | path::to::fn`.
    pub decode: Option<Decode>,
    /// `api = Type`: the per-API defaults of `impl restruct::Api for Type`.
    pub api: Option<Path>,
    /// `multipart`: the body fields are the parts of a `multipart/form-data` body.
    pub multipart: Option<Ident>,
    /// `paginate = style` or `paginate(style, ...)` (see `crate::paginate`).
    pub paginate: Option<crate::paginate::Declared>,
}

pub enum IdempotencyKey {
    /// Each call carries a key in this header (lowercase, as `HeaderName::from_static` wants it).
    Header(String),
    /// `idempotency_key = false`: none, whatever the API's default.
    Off,
}

/// The runtime as generated code names it: `::restruct::__private`, or under the path given
/// with `crate = ...` (`args`: `None` when the arguments did not parse).
pub fn private(args: Option<&Args>) -> TokenStream {
    match args.and_then(|a| a.krate.as_ref()) {
        Some(path) => quote!(#path::__private),
        None => quote!(::restruct::__private),
    }
}

pub struct StaticHeader {
    /// Lowercase, as `HeaderName::from_static` wants it.
    pub name: String,
    pub value: String,
}

impl Args {
    /// Whether the method sends no body (`GET`, `HEAD`).
    pub fn bodyless(&self) -> bool {
        matches!(self.method.to_string().as_str(), "GET" | "HEAD")
    }
}

/// Reads the arguments, recording every problem in `cx`. `None` when they do not parse at all
/// (after recording why): a problem with one value still gives `Args`, so that the fields are
/// checked against them.
pub fn parse(cx: &Ctxt, tokens: TokenStream) -> Option<Args> {
    if tokens.is_empty() {
        cx.syn_error(syn::Error::new(
            Span::call_site(),
            "expected a method and a path template, as in `#[endpoint(GET, \"/users/<user_id>\")]`",
        ));
        return None;
    }
    (|input: ParseStream| parse_args(cx, input))
        .parse2(tokens)
        .map_err(|e| cx.syn_error(e))
        .ok()
}

fn parse_args(cx: &Ctxt, input: ParseStream) -> syn::Result<Args> {
    if input.peek(LitStr) {
        return Err(input.error(
            "expected the HTTP method before the path template, as in `#[endpoint(GET, \"/users\")]`",
        ));
    }
    let method = Ident::parse_any(input)?;
    check_method(cx, &method);
    if input.is_empty() {
        return Err(syn::Error::new(
            method.span(),
            format!("expected a path template after `{method}`, as in `#[endpoint({method}, \"/users/<user_id>\")]`"),
        ));
    }
    input.parse::<Token![,]>()?;
    let template: LitStr = input.parse().map_err(|e| {
        syn::Error::new(
            e.span(),
            "expected the path template as a string literal, as in \"/users/<user_id>\"",
        )
    })?;

    let mut args = Args {
        method,
        template,
        response: None,
        error: None,
        form: None,
        form_brackets: false,
        idempotent: None,
        idempotency_key: None,
        krate: None,
        headers: Vec::new(),
        decode: None,
        api: None,
        multipart: None,
        paginate: None,
    };
    while !input.is_empty() {
        input.parse::<Token![,]>()?;
        if input.is_empty() {
            break;
        }
        let key = Ident::parse_any(input)?;
        let name = key.to_string();
        match name.as_str() {
            "response" | "error" => {
                let ty: Type = parse_value(input, &key)?;
                let slot = if name == "response" {
                    &mut args.response
                } else {
                    &mut args.error
                };
                set_once(cx, slot, ty, &key);
            }
            "crate" => {
                let path = parse_value_with(input, &key, Path::parse_mod_style)?;
                if is_absolute(cx, &path) {
                    set_once(cx, &mut args.krate, path, &key);
                }
            }
            "headers" => {
                let content;
                syn::parenthesized!(content in input);
                let list =
                    content.parse_terminated(<LitStr as syn::parse::Parse>::parse, Token![,])?;
                if list.is_empty() {
                    cx.error_spanned_by(&key, "expected at least one header, as in `headers(\"Clerk-API-Version: 2025-04-10\")`");
                }
                for lit in list {
                    if let Some(header) = parse_static_header(cx, &lit) {
                        args.headers.push(header);
                    }
                }
            }
            "decode" => {
                let decode = parse_value_with(input, &key, |input| parse_decode(cx, input))?;
                set_once(cx, &mut args.decode, decode, &key);
            }
            "api" => {
                let path = parse_value_with(input, &key, Path::parse_mod_style)?;
                set_once(cx, &mut args.api, path, &key);
            }
            "multipart" => {
                if input.peek(Token![=]) {
                    cx.error_spanned_by(&key, "`multipart` takes no value; write just `multipart`");
                    skip_value(input)?;
                }
                set_once(cx, &mut args.multipart, key.clone(), &key);
            }
            "paginate" => {
                let declared = crate::paginate::parse_option(cx, input, &key)?;
                set_once(cx, &mut args.paginate, declared, &key);
            }
            "form" if input.peek(syn::token::Paren) => {
                args.form_brackets = parse_form_arrays(cx, input)?;
                set_once(cx, &mut args.form, key.clone(), &key);
            }
            "idempotency_key" => {
                let value = parse_idempotency_key(cx, input)?;
                if let Some(value) = value {
                    set_once(cx, &mut args.idempotency_key, (key.clone(), value), &key);
                }
            }
            "form" | "idempotent" => {
                if input.peek(Token![=]) {
                    cx.error_spanned_by(
                        &key,
                        format!("`{name}` takes no value; write just `{name}`"),
                    );
                    skip_value(input)?;
                }
                let slot = if name == "form" {
                    &mut args.form
                } else {
                    &mut args.idempotent
                };
                set_once(cx, slot, key.clone(), &key);
            }
            _ => {
                let hint = suggest::hint(&name, OPTIONS);
                cx.error_spanned_by(
                    &key,
                    format!(
                        "unknown option `{name}`; expected `response = Type`, `error = Type`, `decode = ...`, `api = Type`, `form`, `multipart`, `idempotent`, `idempotency_key = \"Name\"`, `headers(\"Name: value\")`, `paginate = style` or `crate = path`{hint}"
                    ),
                );
                if input.peek(Token![=]) {
                    skip_value(input)?;
                }
            }
        }
    }
    check_idempotency_key(cx, &args);
    Ok(args)
}

/// `(arrays = indexed | brackets)` after `form`; `true` for brackets.
fn parse_form_arrays(cx: &Ctxt, input: ParseStream) -> syn::Result<bool> {
    let content;
    syn::parenthesized!(content in input);
    let usage = "expected `form(arrays = indexed)` (`key[0]=a`, the default) or `form(arrays = brackets)` (`key[]=a`)";
    let key = Ident::parse_any(&content)?;
    if key != "arrays" || !content.peek(Token![=]) {
        cx.error_spanned_by(&key, format!("unknown `form` option `{key}`; {usage}"));
        return Ok(false);
    }
    content.parse::<Token![=]>()?;
    let value = Ident::parse_any(&content)?;
    if !content.is_empty() {
        content.parse::<Token![,]>()?;
    }
    if !content.is_empty() {
        cx.error_spanned_by(
            content.parse::<proc_macro2::TokenTree>()?,
            format!("`form` takes one option; {usage}"),
        );
    }
    match value.to_string().as_str() {
        "indexed" => Ok(false),
        "brackets" => Ok(true),
        other => {
            cx.error_spanned_by(&value, format!("unknown array notation `{other}`; {usage}"));
            Ok(false)
        }
    }
}

/// After `idempotency_key`: nothing (the standard `Idempotency-Key`), `= "Name"` or `= false`.
/// `None` when the value was reported as wrong.
fn parse_idempotency_key(cx: &Ctxt, input: ParseStream) -> syn::Result<Option<IdempotencyKey>> {
    if !input.peek(Token![=]) {
        return Ok(Some(IdempotencyKey::Header("idempotency-key".to_owned())));
    }
    input.parse::<Token![=]>()?;
    if input.peek(syn::LitBool) {
        let value: syn::LitBool = input.parse()?;
        if value.value {
            cx.error_spanned_by(
                &value,
                "write `idempotency_key` (the header `Idempotency-Key`) or `idempotency_key = \"Name\"`; `= false` turns the API's key off",
            );
            return Ok(None);
        }
        return Ok(Some(IdempotencyKey::Off));
    }
    let lit: LitStr = input.parse().map_err(|e| {
        syn::Error::new(
            e.span(),
            "expected the header's name, as in `idempotency_key = \"Idempotency-Key\"`, or `false`",
        )
    })?;
    let name = lit.value();
    if !crate::attr::is_header_name(&name) {
        cx.error_spanned_by(
            &lit,
            format!("`{name}` is not a valid header name; use letters, digits and `-`, as in `Idempotency-Key`"),
        );
        return Ok(None);
    }
    Ok(Some(IdempotencyKey::Header(name.to_ascii_lowercase())))
}

/// An idempotency key makes a call that changes something safe to retry; a `GET`, `HEAD` or
/// `OPTIONS` changes nothing and is retried without one.
fn check_idempotency_key(cx: &Ctxt, args: &Args) {
    let Some((key, IdempotencyKey::Header(_))) = &args.idempotency_key else {
        return;
    };
    let method = args.method.to_string();
    if matches!(method.as_str(), "GET" | "HEAD" | "OPTIONS") {
        cx.error_spanned_by(
            key,
            format!("`idempotency_key` on a `{method}` endpoint: a `{method}` changes nothing and is retried without a key; idempotency keys are for `POST` and `PATCH` (and `PUT` or `DELETE` where the API asks for one)"),
        );
    }
}

fn parse_static_header(cx: &Ctxt, lit: &LitStr) -> Option<StaticHeader> {
    let text = lit.value();
    let Some((name, value)) = text.split_once(':') else {
        cx.error_spanned_by(
            lit,
            format!(
                "expected `Name: value`, as in \"Clerk-API-Version: 2025-04-10\"; found \"{text}\""
            ),
        );
        return None;
    };
    let (name, value) = (name.trim(), value.trim());
    if !crate::attr::is_header_name(name) {
        cx.error_spanned_by(
            lit,
            format!("`{name}` is not a valid header name; use letters, digits and `-`, as in `X-Request-Id`"),
        );
        return None;
    }
    if !value
        .bytes()
        .all(|b| b == b'\t' || (b' '..=b'~').contains(&b))
    {
        cx.error_spanned_by(
            lit,
            format!("the value of header `{name}` must be visible ASCII without line breaks"),
        );
        return None;
    }
    Some(StaticHeader {
        name: name.to_ascii_lowercase(),
        value: value.to_owned(),
    })
}

fn check_method(cx: &Ctxt, method: &Ident) {
    let name = method.to_string();
    if METHODS.contains(&name.as_str()) {
        return;
    }
    let upper = name.to_ascii_uppercase();
    if METHODS.contains(&upper.as_str()) {
        cx.error_spanned_by(
            method,
            format!("HTTP methods are written in uppercase: `{upper}`"),
        );
    } else {
        cx.error_spanned_by(
            method,
            format!(
                "unknown HTTP method `{name}`; expected one of `GET`, `POST`, `PUT`, `PATCH`, `DELETE`, `HEAD`, `OPTIONS`"
            ),
        );
    }
}

/// Whether a `crate = path` is absolute (`::restruct`, `crate::sdk::rt`, `$crate::rt`), as the
/// generated items and bon's builder (which refuses other paths) need it; records why not.
fn is_absolute(cx: &Ctxt, path: &Path) -> bool {
    let Some(first) = path.segments.first() else {
        return false;
    };
    if path.leading_colon.is_some() || first.ident == "crate" || first.ident == "$crate" {
        return true;
    }
    let written = path
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect::<Vec<_>>()
        .join("::");
    let instead = if first.ident == "self" || first.ident == "super" {
        "write it from the crate root, as in `crate::sdk::restruct`".to_owned()
    } else {
        format!(
            "write `::{written}` for a crate, or `crate::{written}` for a re-export in this crate"
        )
    };
    cx.error_spanned_by(
        path,
        format!("`crate = {written}` must be an absolute path; {instead}"),
    );
    false
}

fn set_once<T>(cx: &Ctxt, slot: &mut Option<T>, value: T, key: &Ident) {
    if slot.is_some() {
        cx.error_spanned_by(key, format!("duplicate option `{key}`"));
    } else {
        *slot = Some(value);
    }
}

fn parse_value<T: syn::parse::Parse>(input: ParseStream, key: &Ident) -> syn::Result<T> {
    parse_value_with(input, key, T::parse)
}

fn parse_value_with<T>(
    input: ParseStream,
    key: &Ident,
    parser: impl FnOnce(ParseStream) -> syn::Result<T>,
) -> syn::Result<T> {
    if !input.peek(Token![=]) {
        return Err(syn::Error::new(
            key.span(),
            format!("expected `{key} = ...`"),
        ));
    }
    input.parse::<Token![=]>()?;
    parser(input)
}

/// Skips `= tokens` up to the next top-level comma.
fn skip_value(input: ParseStream) -> syn::Result<()> {
    input.parse::<Token![=]>()?;
    while !input.is_empty() && !input.peek(Token![,]) {
        input.parse::<proc_macro2::TokenTree>()?;
    }
    Ok(())
}

/// How a 2xx body becomes the response.
pub enum Decode {
    Json(Ident),
    Text(Ident),
    Bytes(Ident),
    With(Path),
}

/// `decode = text | bytes | json | path::to::fn`.
pub fn parse_decode(cx: &Ctxt, input: ParseStream) -> syn::Result<Decode> {
    let path: Path = if input.peek(Ident::peek_any) && !input.peek2(syn::Token![::]) {
        Path::from(Ident::parse_any(input)?)
    } else {
        input.call(Path::parse_mod_style)?
    };
    if let Some(ident) = path.get_ident() {
        match ident.to_string().as_str() {
            "json" => return Ok(Decode::Json(ident.clone())),
            "text" => return Ok(Decode::Text(ident.clone())),
            "bytes" => return Ok(Decode::Bytes(ident.clone())),
            "ndjson" | "stream" => cx.error_spanned_by(
                ident,
                format!("`decode = {ident}` is not available on this endpoint; expected `json`, `text`, `bytes` or a function path"),
            ),
            _ => {}
        }
    }
    Ok(Decode::With(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crate_paths_are_absolute() {
        for (path, absolute) in [
            ("::restruct", true),
            ("crate::sdk::rt", true),
            ("sdk::rt", false),
            ("self::rt", false),
            ("super::rt", false),
        ] {
            let cx = Ctxt::new();
            let parsed: Path = syn::parse_str(path).unwrap();
            assert_eq!(is_absolute(&cx, &parsed), absolute, "{path}");
            assert_eq!(cx.check().is_ok(), absolute, "{path}");
        }
    }
}
