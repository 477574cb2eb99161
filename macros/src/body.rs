//! Bodies other than JSON and form objects: `#[body(raw, content_type = "...")]` and the
//! `multipart` option, their checks and their writes (the attribute itself is read in `attr`).

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned as _;
use syn::LitStr;

use crate::args::Args;
use crate::ast::{option_inner, Field, Input, Role};
use crate::attr::BodyKind;
use crate::ctxt::Ctxt;

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
