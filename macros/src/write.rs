//! The body of `Endpoint::write_request`: what each field role writes, in the order the
//! request is written (path, query, headers, body), and the items those writes need.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::spanned::Spanned as _;

use crate::args::Args;
use crate::ast::{option_inner, optional_inner, Field, Input, Optional, Role};
use crate::attr::BodyKind;
use crate::serde_attr::SerdeField;
use crate::template::Part;

pub struct Writes {
    /// The statements of `write_request`, writing into `__req`.
    pub write_request: TokenStream,
    /// Items for the query writes (wrappers for `serialize_with`), for the `const _` block.
    pub query_defs: TokenStream,
    /// Items for the body write (the body struct), for the `const _` block.
    pub body_defs: TokenStream,
}

pub fn write_request(args: &Args, input: &Input, parts: &[Part], private: &TokenStream) -> Writes {
    let path = path(input, parts);
    let (mut query, mut query_defs) = (TokenStream::new(), TokenStream::new());
    for (index, field) in input.fields.iter().enumerate() {
        if let Role::Query(attr) = &field.role {
            let (write, defs) = crate::query::expand(private, input, field, attr, index);
            query.extend(write);
            query_defs.extend(defs);
        }
    }
    let static_headers = args.headers.iter().map(|h| static_header(private, h));
    let headers = input.fields.iter().filter_map(|field| match &field.role {
        Role::Header { name, sensitive } => Some(header(private, field, name, *sensitive)),
        _ => None,
    });
    let api_headers = crate::api::headers(args);
    let (body_defs, body) = body(args, input, private);
    Writes {
        write_request: quote! {
            #path
            #query
            #(#static_headers)*
            #(#headers)*
            #api_headers
            #body
        },
        query_defs,
        body_defs,
    }
}

/// The template's literals and placeholders, appended in order.
fn path(input: &Input, parts: &[Part]) -> TokenStream {
    let writes = parts.iter().map(|part| {
        let (name, rest) = match part {
            Part::Literal(text) => return quote!(__req.path_literal(#text);),
            Part::Param(name) => (name, false),
            Part::Rest(name) => (name, true),
        };
        // `valid::check` gave every placeholder a field before this runs.
        let Some(field) = input.fields.iter().find(|f| f.name == *name) else {
            return TokenStream::new();
        };
        let member = field.ident;
        // Spanned at the type, so a missing `Display` points at the field.
        if rest {
            quote_spanned!(field.ty.span()=> __req.path_rest(#name, &self.#member);)
        } else {
            quote_spanned!(field.ty.span()=> __req.path_param(#name, &self.#member);)
        }
    });
    quote!(#(#writes)*)
}

/// A `headers("Name: value")` header.
fn static_header(private: &TokenStream, header: &crate::args::StaticHeader) -> TokenStream {
    let (name, value) = (&header.name, &header.value);
    // Constants: checked (by `args`, and again by `http` at compile time) and built once.
    quote!(__req.static_header(
        const { #private::HeaderName::from_static(#name) },
        const { #private::HeaderValue::from_static(#value) },
    );)
}

/// A `#[header("...")]` field; `None` is left out.
fn header(
    private: &TokenStream,
    field: &Field,
    header: &str,
    sensitive: Option<bool>,
) -> TokenStream {
    let member = field.ident;
    let name = &field.name;
    let header = quote!(const { #private::HeaderName::from_static(#header) });
    // Spanned at the type, so a missing `Display` points at the field.
    let set = |span: Span, value: TokenStream| match sensitive {
        None => quote_spanned!(span=> __req.header(#name, #header, #value);),
        Some(marked) => {
            quote_spanned!(span=> __req.header_marked(#name, #header, #value, #marked);)
        }
    };
    match option_inner(field.ty) {
        Some(inner) => {
            let set = set(inner.span(), quote_spanned!(inner.span()=> __value));
            quote_spanned!(inner.span()=>
                if let ::core::option::Option::Some(__value) = &self.#member {
                    #set
                }
            )
        }
        None => set(
            field.ty.span(),
            quote_spanned!(field.ty.span()=> &self.#member),
        ),
    }
}

/// The body write, and the items it needs: a `multipart` body, the members of a JSON (or form)
/// object, or a `#[body]` field (raw or serialized). The checks allow only one of these.
fn body(args: &Args, input: &Input, private: &TokenStream) -> (TokenStream, TokenStream) {
    let members: Vec<&Field> = input
        .fields
        .iter()
        .filter(|f| f.role == Role::BodyField)
        .collect();
    if args.multipart.is_some() {
        return (
            TokenStream::new(),
            crate::body::expand_multipart(private, &members),
        );
    }
    if !members.is_empty() {
        return body_struct(args, input, &members, private);
    }
    let whole = input
        .fields
        .iter()
        .rev()
        .find_map(|field| match &field.role {
            Role::Body(kind) => Some((field, kind)),
            _ => None,
        });
    let write = match whole {
        Some((field, BodyKind::Raw { content_type })) => {
            crate::body::expand_raw(private, field, content_type.as_ref())
        }
        Some((field, BodyKind::Serialized)) => whole_body(args, field, private),
        None => TokenStream::new(),
    };
    (TokenStream::new(), write)
}

/// A `#[body]` field, serialized; `None` sends no body.
fn whole_body(args: &Args, field: &Field, private: &TokenStream) -> TokenStream {
    let member = field.ident;
    let name = &field.name;
    match option_inner(field.ty) {
        Some(inner) => {
            let write = write_body(args, private, inner.span(), quote!(#name), quote!(__value));
            quote_spanned!(inner.span()=>
                if let ::core::option::Option::Some(__value) = &self.#member {
                    #write
                }
            )
        }
        None => write_body(
            args,
            private,
            field.ty.span(),
            quote!(#name),
            quote!(&self.#member),
        ),
    }
}

/// The writer call of a serialized body: JSON, or a form in the endpoint's array notation.
fn write_body(
    args: &Args,
    private: &TokenStream,
    span: Span,
    name: TokenStream,
    value: TokenStream,
) -> TokenStream {
    if args.form_brackets {
        quote_spanned!(span=> __req.form_body_with(#name, #value, #private::FormArrays::Brackets);)
    } else if args.form.is_some() {
        quote_spanned!(span=> __req.form_body(#name, #value);)
    } else {
        quote_spanned!(span=> __req.json_body(#name, #value);)
    }
}

/// A serde "remote" definition listing only the body fields (with their `#[serde]` attributes),
/// so the user's struct needs no `Serialize` and its other fields are never touched; plus a
/// transparent reference wrapper that serializes through it.
fn body_struct(
    args: &Args,
    input: &Input,
    fields: &[&Field],
    private: &TokenStream,
) -> (TokenStream, TokenStream) {
    let original = input.original;
    let ident = &original.ident;
    let generics = &original.generics;
    let (_, ty_generics, where_clause) = generics.split_for_impl();
    let serde_crate = format!("{private}::serde");
    let remote = ident.to_string();

    let skip_unset = format!("{private}::Nullable::is_unset");
    let members = fields.iter().map(|f| {
        let attrs = &f.serde_attrs;
        let member = f.ident;
        let ty = f.ty;
        // An unset `Nullable` is left out of the body unless the field says otherwise; serde
        // gives a value no way to leave out its own key.
        let serde = SerdeField::read(attrs);
        let says_when_to_skip = serde.skip || serde.skip_if;
        let skip = (!says_when_to_skip
            && matches!(optional_inner(ty), Some((Optional::Nullable, _))))
        .then(|| quote!(#[serde(skip_serializing_if = #skip_unset)]));
        quote!(#(#attrs)* #skip #member: #ty,)
    });
    // Type parameters that no body field uses would be "never used": a skipped marker uses them.
    let type_params = generics.type_params().map(|p| &p.ident);
    let lifetimes = generics.lifetimes().map(|l| &l.lifetime);
    let marker = (!generics.params.is_empty()).then(|| {
        quote! {
            #[serde(skip)]
            __marker: ::core::marker::PhantomData<(#(fn() -> #type_params,)* #(&#lifetimes (),)*)>,
        }
    });
    let mut ref_generics = generics.clone();
    ref_generics
        .params
        .insert(0, syn::parse_quote!('__restruct_ref));
    let (ref_impl_generics, _, _) = ref_generics.split_for_impl();
    let defs = quote! {
        #[derive(#private::serde::Serialize)]
        #[serde(crate = #serde_crate, remote = #remote)]
        struct __RestructBody #generics #where_clause {
            #(#members)*
            #marker
        }

        #[derive(#private::serde::Serialize)]
        #[serde(crate = #serde_crate, transparent)]
        struct __RestructBodyRef #ref_impl_generics (
            #[serde(with = "__RestructBody")] &'__restruct_ref #ident #ty_generics,
        ) #where_clause;
    };
    let write = write_body(
        args,
        private,
        Span::call_site(),
        quote!("body"),
        quote!(&__RestructBodyRef(self)),
    );
    (defs, write)
}
