//! Bodies other than JSON and form objects: `#[body(raw, content_type = "...")]` and the
//! `multipart` option.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::ext::IdentExt as _;
use syn::parse::{ParseStream, Parser as _};
use syn::spanned::Spanned as _;
use syn::{Attribute, Ident, LitStr, Meta, Token};

use crate::args::Args;
use crate::ast::{option_inner, Field, Input, Role};
use crate::ctxt::Ctxt;

/// What a `#[body]` field is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyKind {
    /// `#[body]`: serialized as JSON (or a form).
    Serialized,
    /// `#[body(raw)]`: bytes or text sent as they are.
    Raw { content_type: Option<String> },
}

pub fn parse_attr(cx: &Ctxt, attr: &Attribute) -> Option<Role> {
    let usage =
        "expected `#[body]`, `#[body(raw)]` or `#[body(raw, content_type = \"image/png\")]`";
    match &attr.meta {
        Meta::Path(_) => Some(Role::Body(BodyKind::Serialized)),
        Meta::NameValue(_) => {
            cx.error_spanned_by(attr, usage);
            None
        }
        Meta::List(list) => {
            let parser = |input: ParseStream| parse_raw(cx, input);
            match parser.parse2(list.tokens.clone()) {
                Ok(kind) => kind.map(Role::Body),
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

/// The conflicts between the body options of the attribute and the fields.
pub fn check(cx: &Ctxt, args: &Args, input: &Input) {
    let Some(multipart) = &args.multipart else {
        for field in &input.fields {
            if let (Role::Body(BodyKind::Raw { .. }), Some(form)) = (&field.role, &args.form) {
                cx.error_spanned_by(
                    form,
                    format!("`form` shapes a serialized body, but `#[body(raw)]` on `{}` is sent as it is; remove `form`", field.name),
                );
            }
        }
        return;
    };
    if let Some(form) = &args.form {
        cx.error_spanned_by(
            form,
            "`form` and `multipart` are two encodings of the body; keep one",
        );
    }
    if args.bodyless() {
        cx.error_spanned_by(
            multipart,
            format!(
                "`{}` requests have no body; remove `multipart` or use another method",
                args.method
            ),
        );
    }
    for field in &input.fields {
        if let Role::Body(_) = field.role {
            cx.error_spanned_by(
                field.role_attr,
                "a `multipart` endpoint sends its unannotated fields as parts; remove `#[body]`, or remove `multipart`",
            );
        }
    }
}

/// The write of a `#[body(raw)]` field.
pub fn expand_raw(
    private: &TokenStream,
    field: &Field,
    content_type: Option<&String>,
) -> TokenStream {
    let member = field.ident;
    let content_type = match content_type {
        Some(ct) => {
            quote!(::core::option::Option::Some(const { #private::HeaderValue::from_static(#ct) }))
        }
        None => quote!(::core::option::Option::None),
    };
    match option_inner(field.ty) {
        Some(inner) => quote_spanned! {inner.span()=>
            if let ::core::option::Option::Some(__value) = &self.#member {
                __req.raw(__value, #content_type);
            }
        },
        None => quote_spanned! {field.ty.span()=>
            __req.raw(&self.#member, #content_type);
        },
    }
}

/// The writes of a `multipart` endpoint: one or more parts per body field, in field order.
pub fn expand_multipart(private: &TokenStream, fields: &[&Field]) -> TokenStream {
    let parts = fields.iter().map(|field| {
        let member = field.ident;
        let name = &field.name;
        let wire = field
            .serde
            .rename
            .as_ref()
            .map_or_else(|| field.name.clone(), LitStr::value);
        let write = quote_spanned! {field.ty.span()=>
            __form.part(#name, #wire, &self.#member);
        };
        match &field.serde.skip_if {
            Some(skip_if) => quote! {
                if !#skip_if(&self.#member) {
                    #write
                }
            },
            None => write,
        }
    });
    quote! {
        let mut __form = #private::Multipart::new();
        #(#parts)*
        __req.multipart_body(__form);
    }
}
