//! The typestate builder of an endpoint: bon's `#[derive(Builder)]`, reached through
//! `__private::bon`, plus a `send` finisher on the finished builder.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use syn::{Attribute, Data, DeriveInput, Fields, GenericParam, Ident};

/// The struct as emitted with its builder, behind the facade's `builder` feature, which the
/// macro cannot see: `__private::if_builder! { { with } else { without } }` keeps one of the
/// two. Without the feature, the struct carries no bon derive and no `#[builder]` attribute,
/// and each `#[builder]` the user wrote is an error at that attribute.
pub fn emit(
    cleaned: DeriveInput,
    private: &TokenStream,
    response: &TokenStream,
    error: &TokenStream,
) -> TokenStream {
    let finisher = send_finisher(&cleaned, private, response, error);
    let mut without = cleaned.clone();
    let errors = strip_builder_attrs(&mut without).into_iter().map(|span| {
        quote::quote_spanned!(span=> ::core::compile_error!(
            "`#[builder]` needs restruct's `builder` feature (on by default)"
        );)
    });
    let mut with = cleaned;
    attach(&mut with, private);
    quote! {
        #private::if_builder! {
            { #with #finisher }
            else { #without #(#errors)* }
        }
    }
}

/// Removes every `#[builder(...)]` from the struct and its fields; the span of each.
fn strip_builder_attrs(item: &mut DeriveInput) -> Vec<Span> {
    let mut spans = Vec::new();
    let mut strip = |attrs: &mut Vec<Attribute>| {
        attrs.retain(|attr| {
            let builder = attr.path().is_ident("builder");
            if builder {
                spans.push(syn::spanned::Spanned::span(attr));
            }
            !builder
        });
    };
    strip(&mut item.attrs);
    if let Data::Struct(data) = &mut item.data {
        for field in data.fields.iter_mut() {
            strip(&mut field.attrs);
        }
    }
    spans
}

/// Adds bon's derive to the struct as it is emitted. The struct literal keeps working: the
/// derive only adds `T::builder()` and the builder type.
fn attach(item: &mut DeriveInput, private: &TokenStream) {
    if !has_named_fields(item) {
        return;
    }
    let bon = quote!(#private::bon);
    // The derive first, so that every `#[builder]` (ours and the user's) comes after it; ours
    // last, because bon wants a `const` the user writes in the first one.
    item.attrs
        .insert(0, syn::parse_quote!(#[derive(#bon::Builder)]));
    item.attrs
        .push(syn::parse_quote!(#[builder(crate = #bon, on(String, into))]));
}

/// `send` on a builder whose required fields are all set:
/// `T::builder().session_id("sess_123").send(&client).await`. `None` when the user renamed
/// bon's builder type, state module or finishing function, whose names it relies on.
fn send_finisher(
    item: &DeriveInput,
    private: &TokenStream,
    response: &TokenStream,
    error: &TokenStream,
) -> Option<TokenStream> {
    if !has_named_fields(item) || renames_builder(&item.attrs) {
        return None;
    }
    let ident = &item.ident;
    let builder = format_ident!("{}Builder", ident_name(ident));
    let state_mod = Ident::new(&snake_case(&builder.to_string()), Span::call_site());
    let args = item
        .generics
        .params
        .iter()
        .map(|param| match param {
            GenericParam::Lifetime(l) => {
                let lifetime = &l.lifetime;
                quote!(#lifetime)
            }
            GenericParam::Type(t) => {
                let ident = &t.ident;
                quote!(#ident)
            }
            GenericParam::Const(c) => {
                let ident = &c.ident;
                quote!(#ident)
            }
        })
        .collect::<Vec<_>>();
    let mut generics = item.generics.clone();
    generics
        .params
        .push(syn::parse_quote!(__S: #state_mod::State));
    let (impl_generics, _, where_clause) = generics.split_for_impl();
    let vis = &item.vis;
    let allow = crate::dummy::allow_lints();
    Some(quote! {
        #allow
        #[automatically_derived]
        impl #impl_generics #builder<#(#args,)* __S> #where_clause {
            /// Builds the request and sends it: like `build()` followed by `send(&client)`.
            #vis async fn send(
                self,
                client: &#private::Client,
            ) -> ::core::result::Result<#response, #private::Error<#error>>
            where
                // On the method, not the impl, so that a missing field is reported the way
                // `build()` reports it, naming the field (rustc repeats it at the call, the
                // expression and the `.await`: the future's type carries the builder's state).
                __S: #state_mod::IsComplete,
            {
                self.build().send(client).await
            }
        }
    })
}

/// Whether bon can derive a builder: a struct with named fields.
fn has_named_fields(item: &DeriveInput) -> bool {
    matches!(&item.data, Data::Struct(data) if matches!(data.fields, Fields::Named(_)))
}

/// Whether a `#[builder(...)]` on the struct renames what `send_finisher` names.
fn renames_builder(attrs: &[Attribute]) -> bool {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("builder"))
        .any(|a| {
            let mut renames = false;
            let _ = a.parse_nested_meta(|meta| {
                renames |= ["builder_type", "state_mod", "finish_fn"]
                    .iter()
                    .any(|key| meta.path.is_ident(key));
                // Skip the value or the parenthesized arguments.
                while !meta.input.is_empty() && !meta.input.peek(syn::Token![,]) {
                    meta.input.parse::<proc_macro2::TokenTree>()?;
                }
                Ok(())
            });
            renames
        })
}

fn ident_name(ident: &Ident) -> String {
    let name = ident.to_string();
    name.strip_prefix("r#").map(str::to_owned).unwrap_or(name)
}

/// bon's name for the state module: `CreateTokenBuilder` -> `create_token_builder` (an `_`
/// before every uppercase letter but the first, as serde's `snake_case` for variants).
fn snake_case(pascal: &str) -> String {
    let mut snake = String::with_capacity(pascal.len() + 4);
    for (i, ch) in pascal.char_indices() {
        if i > 0 && ch.is_uppercase() {
            snake.push('_');
        }
        snake.push(ch.to_ascii_lowercase());
    }
    snake
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_module_names_follow_bon() {
        assert_eq!(snake_case("CreateTokenBuilder"), "create_token_builder");
        assert_eq!(snake_case("GetV2UserBuilder"), "get_v2_user_builder");
        assert_eq!(snake_case("HTTPBuilder"), "h_t_t_p_builder");
    }

    #[test]
    fn a_renamed_builder_gets_no_finisher() {
        let item: DeriveInput = syn::parse_quote!(
            #[builder(finish_fn = done)]
            struct S {
                a: u8,
            }
        );
        assert!(renames_builder(&item.attrs));
        let item: DeriveInput = syn::parse_quote!(
            #[builder(on(String, into))]
            struct S {
                a: u8,
            }
        );
        assert!(!renames_builder(&item.attrs));
    }
}
