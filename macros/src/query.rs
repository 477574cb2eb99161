//! The writes of `#[query]` fields (the attribute itself is read in `attr`).

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned as _;
use syn::{Ident, LitStr};

use crate::ast::{Field, Input};
use crate::attr::{QueryAttr, Style};
use crate::serde_attr::With;

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
