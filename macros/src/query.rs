//! `#[query]` fields: the attribute's arguments (wire name, style) and the generated writes.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::ext::IdentExt as _;
use syn::parse::{ParseStream, Parser as _};
use syn::spanned::Spanned as _;
use syn::{Attribute, Ident, LitBool, LitStr, Meta, Token};

use crate::ast::{Field, Input};
use crate::ctxt::Ctxt;
use crate::serde_attr::With;
use crate::valid::did_you_mean;

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
    fn variant(self) -> Ident {
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

pub fn parse_attr(cx: &Ctxt, attr: &Attribute, field: &str) -> Option<crate::ast::Role> {
    let usage = || {
        format!(
            "expected `#[query]`, `#[query(\"wire_name\")]` or `#[query(\"wire_name\", style = ..., explode = ...)]`, as in `#[query(\"{field}\")]`"
        )
    };
    let parsed = match &attr.meta {
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
    };
    parsed.map(crate::ast::Role::Query)
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

/// The writes for one query field, and the items they need (a wrapper for `serialize_with`).
pub fn expand(
    private: &TokenStream,
    input: &Input,
    field: &Field,
    attr: &QueryAttr,
    index: usize,
) -> (TokenStream, TokenStream) {
    let member = field.ident;
    let name = &field.name;
    let wire = attr
        .wire
        .clone()
        .or_else(|| field.serde.rename.as_ref().map(LitStr::value))
        .unwrap_or_else(|| field.name.clone());
    let style = attr.style.variant();
    let ty = field.ty;
    let mut defs = TokenStream::new();
    let value = match &field.serde.with {
        Some(with) => {
            let wrapper = format_ident!("__RestructQueryWith{}", index);
            defs = with_wrapper(private, input, field, with, &wrapper);
            quote_spanned!(ty.span()=> &#wrapper(self))
        }
        None => quote_spanned!(ty.span()=> &self.#member),
    };
    // A map in a style that cannot carry it is refused by its type, when the type says so.
    let probe = (field.serde.with.is_none() && attr.style != Style::DeepObject).then(|| {
        quote_spanned! {ty.span()=>
            {
                #[allow(unused_imports)]
                use #private::{QueryAnyProbe as _, QueryMapProbe as _};
                #private::query_flat((&#private::QueryProbe::<#ty>::new()).query_probe());
            }
        }
    });
    let write = quote_spanned! {ty.span()=>
        #probe
        __req.query_styled(#name, #wire, #value, #private::QueryStyle::#style);
    };
    let write = match &field.serde.skip_if {
        Some(skip_if) => quote! {
            if !#skip_if(&self.#member) {
                #write
            }
        },
        None => write,
    };
    (write, defs)
}

/// A type that serializes one field of the endpoint through `serialize_with` / `with`: it holds
/// a reference to the whole endpoint, so it has the endpoint's generics and nothing else.
fn with_wrapper(
    private: &TokenStream,
    input: &Input,
    field: &Field,
    with: &With,
    wrapper: &Ident,
) -> TokenStream {
    let original = input.original;
    let ident = &original.ident;
    let mut generics = original.generics.clone();
    generics
        .params
        .insert(0, syn::parse_quote!('__restruct_ref));
    let (impl_generics, wrapper_generics, where_clause) = generics.split_for_impl();
    let (_, ty_generics, _) = original.generics.split_for_impl();
    let member = field.ident;
    let call = match with {
        With::Function(path) => quote!(#path),
        With::Module(path) => quote!(#path::serialize),
    };
    quote! {
        struct #wrapper #impl_generics (&'__restruct_ref #ident #ty_generics) #where_clause;

        #[automatically_derived]
        impl #impl_generics #private::serde::Serialize for #wrapper #wrapper_generics #where_clause {
            fn serialize<__S: #private::serde::Serializer>(
                &self,
                __serializer: __S,
            ) -> ::core::result::Result<__S::Ok, __S::Error> {
                #call(&self.0.#member, __serializer)
            }
        }
    }
}
