//! The field attributes that give a role, read as syntax: `#[query(...)]`, `#[header(...)]`,
//! `#[body(...)]` and `#[skip]`. Problems are recorded in the `Ctxt`; `ast` turns what was read
//! into the field's role.

use proc_macro2::Ident;
use quote::format_ident;
use syn::ext::IdentExt as _;
use syn::parse::{ParseStream, Parser as _};
use syn::{Attribute, LitBool, LitStr, Meta, Token};

use crate::ctxt::Ctxt;
use crate::suggest::did_you_mean;

/// `#[header("Name", sensitive)]`.
pub struct HeaderAttr {
    /// Lowercase, as `HeaderName::from_static` wants it.
    pub name: String,
    /// `sensitive` / `sensitive = false`; `None`: by the header's name.
    pub sensitive: Option<bool>,
}

/// `#[query]`, `#[query("wire")]`, `#[query("wire", style = deepObject)]`, `#[query(explode = false)]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryAttr {
    /// The name given in the attribute, if any.
    pub wire: Option<String>,
    pub style: Style,
}

/// The runtime's `QueryStyle`, as the attribute spells it (OpenAPI's names).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Form,
    Comma,
    Space,
    Pipe,
    Brackets,
    DeepObject,
}

const STYLES: [&str; 5] = [
    "form",
    "spaceDelimited",
    "pipeDelimited",
    "deepObject",
    "brackets",
];

impl Style {
    pub fn variant(self) -> Ident {
        format_ident!(
            "{}",
            match self {
                Style::Form => "Form",
                Style::Comma => "Comma",
                Style::Space => "Space",
                Style::Pipe => "Pipe",
                Style::Brackets => "Brackets",
                Style::DeepObject => "DeepObject",
            }
        )
    }
}

/// `#[query(...)]` on the field `field`; `None` when a problem was recorded.
pub fn parse_query(cx: &Ctxt, attr: &Attribute, field: &str) -> Option<QueryAttr> {
    let usage = || {
        format!(
            "expected `#[query]`, `#[query(\"wire_name\")]` or `#[query(\"wire_name\", style = ..., explode = ...)]`, as in `#[query(\"{field}\")]`"
        )
    };
    match &attr.meta {
        Meta::Path(_) => Some(QueryAttr {
            wire: None,
            style: Style::Form,
        }),
        Meta::List(list) => {
            let parser = |input: ParseStream| parse_args(cx, input);
            match parser.parse2(list.tokens.clone()) {
                Ok(parsed) => parsed,
                Err(_) => {
                    cx.error_spanned_by(attr, usage());
                    None
                }
            }
        }
        Meta::NameValue(_) => {
            cx.error_spanned_by(attr, usage());
            None
        }
    }
}

/// `None` when a problem was reported.
fn parse_args(cx: &Ctxt, input: ParseStream) -> syn::Result<Option<QueryAttr>> {
    let mut ok = true;
    let mut wire = None;
    if input.peek(LitStr) {
        let lit: LitStr = input.parse()?;
        if lit.value().is_empty() {
            cx.error_spanned_by(&lit, "the query parameter name must not be empty");
            ok = false;
        }
        wire = Some(lit.value());
        if !input.is_empty() {
            input.parse::<Token![,]>()?;
        }
    }
    let mut style: Option<(Ident, Style)> = None;
    let mut explode: Option<LitBool> = None;
    while !input.is_empty() {
        let key = Ident::parse_any(input)?;
        if !input.peek(Token![=]) {
            let hint = match key.to_string().as_str() {
                "comma" | "csv" => "; for `key=a,b` write `explode = false`".to_owned(),
                "brackets" | "deepObject" | "spaceDelimited" | "pipeDelimited" | "form" => {
                    format!("; write `style = {key}`")
                }
                _ => String::new(),
            };
            cx.error_spanned_by(
                &key,
                format!("unknown `#[query]` option `{key}`; expected a wire name (\"name\"), `style = ...` or `explode = false`{hint}"),
            );
            while !input.is_empty() && !input.peek(Token![,]) {
                input.parse::<proc_macro2::TokenTree>()?;
            }
            if !input.is_empty() {
                input.parse::<Token![,]>()?;
            }
            ok = false;
            continue;
        }
        input.parse::<Token![=]>()?;
        match key.to_string().as_str() {
            "style" => {
                let value = Ident::parse_any(input)?;
                let name = value.to_string();
                let parsed = match name.as_str() {
                    "form" => Some(Style::Form),
                    "spaceDelimited" => Some(Style::Space),
                    "pipeDelimited" => Some(Style::Pipe),
                    "deepObject" => Some(Style::DeepObject),
                    "brackets" => Some(Style::Brackets),
                    _ => None,
                };
                match parsed {
                    Some(parsed) if style.is_none() => style = Some((value, parsed)),
                    Some(_) => {
                        cx.error_spanned_by(&key, "duplicate `style`");
                        ok = false;
                    }
                    None => {
                        let squashed = name.replace('_', "").to_ascii_lowercase();
                        let hint = STYLES
                            .iter()
                            .copied()
                            .find(|s| s.to_ascii_lowercase() == squashed)
                            .or_else(|| did_you_mean(&name, STYLES))
                            .map_or_else(String::new, |s| format!("; did you mean `{s}`?"));
                        cx.error_spanned_by(
                            &value,
                            format!("unknown query style `{name}`; expected `form`, `spaceDelimited`, `pipeDelimited`, `deepObject` or `brackets` (OpenAPI's names){hint}"),
                        );
                        ok = false;
                    }
                }
            }
            "explode" => {
                let value: LitBool = input.parse()?;
                if explode.is_some() {
                    cx.error_spanned_by(&key, "duplicate `explode`");
                    ok = false;
                }
                explode = Some(value);
            }
            other => {
                cx.error_spanned_by(
                    &key,
                    format!("unknown `#[query]` option `{other}`; expected a wire name (\"name\"), `style = ...` or `explode = false`"),
                );
                ok = false;
                while !input.is_empty() && !input.peek(Token![,]) {
                    input.parse::<proc_macro2::TokenTree>()?;
                }
            }
        }
        if !input.is_empty() {
            input.parse::<Token![,]>()?;
        }
    }
    let style = match (style, explode) {
        (None | Some((_, Style::Form)), Some(explode)) if !explode.value => Style::Comma,
        (None, _) => Style::Form,
        (Some((_, style)), None) => style,
        (Some((_, Style::Form)), Some(_)) => Style::Form,
        (Some((name, Style::Space | Style::Pipe)), Some(explode)) => {
            if explode.value {
                cx.error_spanned_by(
                    &explode,
                    format!("`{name}` joins the items into one value, so it cannot be exploded; remove `explode = true`, or use `style = form` for repeated keys"),
                );
                ok = false;
            }
            if name == "spaceDelimited" {
                Style::Space
            } else {
                Style::Pipe
            }
        }
        (Some((name, style)), Some(explode)) => {
            if !explode.value {
                cx.error_spanned_by(
                    &explode,
                    format!("`{name}` always writes one pair per value, so it cannot take `explode = false`; use `style = form, explode = false` for `key=a,b`"),
                );
                ok = false;
            }
            style
        }
    };
    Ok(ok.then_some(QueryAttr { wire, style }))
}

/// What a `#[body]` field is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyKind {
    /// `#[body]`: serialized as JSON (or a form).
    Serialized,
    /// `#[body(raw)]`: bytes or text sent as they are.
    Raw { content_type: Option<String> },
}

/// `#[body]` or `#[body(raw, ...)]`; `None` when a problem was recorded.
pub fn parse_body(cx: &Ctxt, attr: &Attribute) -> Option<BodyKind> {
    let usage =
        "expected `#[body]`, `#[body(raw)]` or `#[body(raw, content_type = \"image/png\")]`";
    match &attr.meta {
        Meta::Path(_) => Some(BodyKind::Serialized),
        Meta::NameValue(_) => {
            cx.error_spanned_by(attr, usage);
            None
        }
        Meta::List(list) => {
            let parser = |input: ParseStream| parse_raw(cx, input);
            match parser.parse2(list.tokens.clone()) {
                Ok(kind) => kind,
                Err(_) => {
                    cx.error_spanned_by(attr, usage);
                    None
                }
            }
        }
    }
}

fn parse_raw(cx: &Ctxt, input: ParseStream) -> syn::Result<Option<BodyKind>> {
    let kind = Ident::parse_any(input)?;
    if kind != "raw" {
        cx.error_spanned_by(
            &kind,
            format!("unknown body kind `{kind}`; expected `#[body]` (JSON, or a form with `form`) or `#[body(raw)]` (bytes or text as they are)"),
        );
        return Ok(None);
    }
    let mut content_type = None;
    let mut ok = true;
    while !input.is_empty() {
        input.parse::<Token![,]>()?;
        if input.is_empty() {
            break;
        }
        let key = Ident::parse_any(input)?;
        input.parse::<Token![=]>()?;
        let value: LitStr = input.parse()?;
        if key != "content_type" {
            cx.error_spanned_by(
                &key,
                format!("unknown `#[body(raw)]` option `{key}`; expected `content_type = \"...\"`"),
            );
            ok = false;
            continue;
        }
        let text = value.value();
        let valid = !text.is_empty()
            && text.contains('/')
            && text
                .bytes()
                .all(|b| b == b'\t' || (b' '..=b'~').contains(&b));
        if !valid {
            cx.error_spanned_by(
                &value,
                "expected a media type of visible ASCII, as in \"image/png\" or \"text/plain; charset=utf-8\"",
            );
            ok = false;
        } else if content_type.replace(text).is_some() {
            cx.error_spanned_by(&key, "duplicate `content_type`");
            ok = false;
        }
    }
    Ok(ok.then_some(BodyKind::Raw { content_type }))
}

/// `#[header("Name")]` or `#[header("Name", sensitive)]`; `None` when a problem was recorded.
pub fn parse_header(cx: &Ctxt, attr: &Attribute) -> Option<HeaderAttr> {
    let mut sensitive = None;
    let parsed = match &attr.meta {
        Meta::List(_) => attr
            .parse_args_with(|input: syn::parse::ParseStream| {
                let name: LitStr = input.parse()?;
                if input.is_empty() {
                    return Ok(name);
                }
                input.parse::<syn::Token![,]>()?;
                let key: syn::Ident = input.parse()?;
                if key != "sensitive" {
                    cx.error_spanned_by(
                        &key,
                        format!("unknown header option `{key}`; the one option is `sensitive` (or `sensitive = false`)"),
                    );
                }
                let value = if input.peek(syn::Token![=]) {
                    input.parse::<syn::Token![=]>()?;
                    input.parse::<syn::LitBool>()?.value
                } else {
                    true
                };
                sensitive = Some(value);
                Ok(name)
            })
            .ok(),
        _ => None,
    };
    let Some(name) = parsed else {
        cx.error_spanned_by(
            attr,
            "expected the header name, as in `#[header(\"Clerk-API-Version\")]` or `#[header(\"X-Signature\", sensitive)]`",
        );
        return None;
    };
    let value = name.value();
    if !is_header_name(&value) {
        cx.error_spanned_by(
            &name,
            format!("`{value}` is not a valid header name; use letters, digits and `-`, as in `X-Request-Id`"),
        );
        return None;
    }
    Some(HeaderAttr {
        name: value.to_ascii_lowercase(),
        sensitive,
    })
}

/// RFC 9110 `token`: what `HeaderName::from_static` accepts once lowercased.
pub fn is_header_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// An attribute written without arguments, as `#[skip]`.
pub fn no_args(cx: &Ctxt, attr: &Attribute, name: &str) -> bool {
    if matches!(attr.meta, Meta::Path(_)) {
        true
    } else {
        cx.error_spanned_by(attr, format!("`#[{name}]` takes no arguments"));
        false
    }
}
