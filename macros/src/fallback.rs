//! What is emitted when the input has errors: the struct itself (helper attributes removed),
//! an `Endpoint` impl whose bodies never run and the same inherent methods as a checked
//! endpoint's (`methods`), so that the rest of the crate type-checks and the only errors the
//! user sees are the macro's.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{Data, DeriveInput};

use crate::args::{Args, METHODS};

/// `errors` first, then the fallback items.
pub fn emit(input: &DeriveInput, args: Option<&Args>, errors: Option<syn::Error>) -> TokenStream {
    let errors = errors.map(syn::Error::into_compile_error);
    let keep_serde = crate::ast::Input::derives_serde_attrs(&input.attrs);
    let cleaned = crate::ast::clean_struct(input, keep_serde);
    let Data::Struct(_) = &input.data else {
        return quote!(#errors #cleaned);
    };
    let private = crate::args::private(args);
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let response = match args.and_then(|a| a.response.as_ref()) {
        Some(ty) => quote!(#ty),
        None => quote!(()),
    };
    let error = match args {
        Some(args) => crate::api::error_type(&private, args),
        None => quote!(#private::serde_json::Value),
    };
    let method = match args.map(|a| &a.method) {
        Some(method) if METHODS.contains(&method.to_string().as_str()) => quote!(#method),
        _ => quote!(GET),
    };
    let paginated = args.map(|args| {
        crate::paginate::fallback(
            input,
            args.paginate.as_ref(),
            args.response.as_ref(),
            &private,
        )
    });
    let methods = crate::methods::inherent(input, args, &private, &response, &error);
    let item = crate::builder::emit(cleaned, &private, &response, &error);
    let defs = crate::dummy::wrap_in_const(quote! {
        #[automatically_derived]
        impl #impl_generics #private::Endpoint for #ident #ty_generics #where_clause {
            type Response = #response;
            type Error = #error;
            const METHOD: #private::Method = #private::Method::#method;
            const PATH: &'static str = "";

            fn write_request(&self, _: &mut #private::RequestWriter<'_>) {
                ::core::unreachable!()
            }
        }

        #methods

        #paginated
    });
    quote! {
        #errors
        #item
        #defs
    }
}
