//! What the `decode = ...` (or the response type) and `api = Type` options generate: the
//! response decoding and the per-API defaults (the options are read in `args`).

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned, ToTokens as _};
use syn::spanned::Spanned as _;
use syn::Type;

use crate::args::{Args, Decode, IdempotencyKey};
use crate::ast::is_unit;

/// The decoding a response type gets without `decode`: text for `String`, bytes for `Vec<u8>`
/// and `Bytes`, JSON for anything else (`None`: the trait's default).
fn inferred(response: &Type) -> Option<Decode> {
    let Type::Path(path) = response else {
        return None;
    };
    if path.qself.is_some() {
        return None;
    }
    let last = path.path.segments.last()?;
    let ident = last.ident.clone();
    match (ident.to_string().as_str(), &last.arguments) {
        ("String", syn::PathArguments::None) => Some(Decode::Text(ident)),
        ("Bytes", syn::PathArguments::None) => Some(Decode::Bytes(ident)),
        ("Vec", syn::PathArguments::AngleBracketed(args)) if args.args.len() == 1 => {
            match &args.args[0] {
                syn::GenericArgument::Type(Type::Path(inner)) if inner.path.is_ident("u8") => {
                    Some(Decode::Bytes(ident))
                }
                _ => None,
            }
        }
        _ => None,
    }
}

/// The `decode_response` method of the `Endpoint` impl, when it is not the trait's default.
pub fn decode_response(private: &TokenStream, args: &Args, response: &Type) -> Option<TokenStream> {
    let decode = match &args.decode {
        Some(decode) => Some(decode),
        None if is_unit(response) => {
            return Some(quote! {
                fn decode_response(
                    _: &[u8],
                ) -> ::core::result::Result<(), #private::DecodeFailure> {
                    ::core::result::Result::Ok(())
                }
            })
        }
        None => None,
    };
    let inferred_decode;
    let decode = match decode {
        Some(decode) => decode,
        None => {
            inferred_decode = inferred(response)?;
            &inferred_decode
        }
    };
    let call = match decode {
        Decode::Json(ident) => {
            quote_spanned!(ident.span()=> #private::decode_json::<Self::Response>(__body))
        }
        Decode::Text(ident) => {
            quote_spanned!(ident.span()=> #private::decode_text::<Self::Response>(__body))
        }
        Decode::Bytes(ident) => {
            quote_spanned!(ident.span()=> #private::decode_bytes::<Self::Response>(__body))
        }
        Decode::With(path) => {
            let path = path.to_token_stream();
            quote_spanned!(path.span()=> #path(__body))
        }
    };
    Some(quote! {
        fn decode_response(
            __body: &[u8],
        ) -> ::core::result::Result<Self::Response, #private::DecodeFailure> {
            #call
        }
    })
}

/// `type Error`: the endpoint's `error = T`, else its API's, else `serde_json::Value`.
pub fn error_type(private: &TokenStream, args: &Args) -> TokenStream {
    match (&args.error, &args.api) {
        (Some(ty), _) => ty.to_token_stream(),
        (None, Some(api)) => quote_spanned!(api.span()=> <#api as #private::Api>::Error),
        (None, None) => quote!(#private::serde_json::Value),
    }
}

/// The writes of the API's headers, after the endpoint's own (which win).
pub fn headers(args: &Args) -> Option<TokenStream> {
    let api = args.api.as_ref()?;
    Some(quote_spanned!(api.span()=> __req.api_headers::<#api>();))
}

/// A compile-time check of the API's headers, at the `api = Type` that names them.
pub fn checks(private: &TokenStream, args: &Args) -> Option<TokenStream> {
    let api = args.api.as_ref()?;
    let key = takes_api_idempotency_key(args).then(|| {
        quote_spanned! {api.span()=>
            const _: () = ::core::assert!(
                #private::valid_header_name(<#api as #private::Api>::IDEMPOTENCY_KEY),
                "`Api::IDEMPOTENCY_KEY` is not a valid header name: use letters, digits and `-`, as in \"Idempotency-Key\"",
            );
        }
    });
    Some(quote_spanned! {api.span()=>
        const _: () = ::core::assert!(
            #private::valid_api_headers(<#api as #private::Api>::HEADERS),
            "a header in `Api::HEADERS` is not valid: names are letters, digits and `-` (as in \"Clerk-API-Version\"), values visible ASCII without line breaks",
        );
        #key
    })
}

/// Whether the endpoint takes its idempotency key header from its API: a `POST` or `PATCH`
/// that names one and says nothing of its own.
fn takes_api_idempotency_key(args: &Args) -> bool {
    args.api.is_some()
        && args.idempotency_key.is_none()
        && matches!(args.method.to_string().as_str(), "POST" | "PATCH")
}

/// `Endpoint::idempotency_key_header`: the endpoint's own header, else its API's for a `POST`
/// or `PATCH`, else nothing (the trait's default).
pub fn idempotency_key(private: &TokenStream, args: &Args) -> Option<TokenStream> {
    let header = match (&args.idempotency_key, &args.api) {
        (Some((_, IdempotencyKey::Header(name))), _) => {
            quote!(::core::option::Option::Some(const { #private::HeaderName::from_static(#name) }))
        }
        (None, Some(api)) if takes_api_idempotency_key(args) => {
            quote_spanned!(api.span()=> #private::api_idempotency_key_header::<#api>())
        }
        _ => return None,
    };
    Some(quote! {
        fn idempotency_key_header() -> ::core::option::Option<#private::HeaderName> {
            #header
        }
    })
}
