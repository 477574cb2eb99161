//! The inherent methods of an endpoint (`send`, `send_blocking`, `validate`). The same for a
//! checked endpoint and for the fallback: they only call the `Endpoint` impl, which the
//! fallback also emits, so the two can never declare them differently.

use proc_macro2::TokenStream;
use quote::quote;
use syn::DeriveInput;

use crate::args::Args;

/// `args`: `None` when the arguments did not parse (a fallback), leaving the method and the
/// path out of the doc of `send`.
pub fn inherent(
    input: &DeriveInput,
    args: Option<&Args>,
    private: &TokenStream,
    response: &TokenStream,
    error: &TokenStream,
) -> TokenStream {
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let vis = &input.vis;
    let sends = match args {
        Some(args) => format!("sends it as `{} {}`", args.method, args.template.value()),
        None => "sends it".to_owned(),
    };
    let doc_send = format!(
        "Validates this request, {sends} with `client`, and decodes the response. \
         For options, the status and headers, use `client.call(&request)`."
    );
    quote! {
        #[automatically_derived]
        impl #impl_generics #ident #ty_generics #where_clause {
            #[doc = #doc_send]
            #vis async fn send(
                &self,
                client: &#private::Client,
            ) -> ::core::result::Result<#response, #private::Error<#error>> {
                client.send(self).await
            }

            #private::if_blocking! {
                /// Like `send`, from synchronous code (feature `blocking`).
                #vis fn send_blocking(
                    &self,
                    client: &#private::BlockingClient,
                ) -> ::core::result::Result<#response, #private::Error<#error>> {
                    client.send(self)
                }
            }

            /// Every violation this request would be refused for, without sending it.
            #vis fn validate(&self) -> ::core::result::Result<(), #private::ValidationErrors> {
                <Self as #private::Endpoint>::validate(self)
            }
        }
    }
}
