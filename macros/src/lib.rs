//! The `#[endpoint]` attribute of [restruct](https://docs.rs/restruct).
//!
//! Use it through the `restruct` crate, which documents it; generated code names the runtime
//! only through `::restruct::__private` (or the path given with `crate = ...`).

mod api;
mod args;
mod ast;
mod attr;
mod body;
mod builder;
mod ctxt;
mod derive;
mod dummy;
mod expand;
mod fallback;
mod meta;
mod methods;
mod paginate;
mod query;
mod rules;
mod serde_attr;
#[cfg(test)]
mod snapshots;
mod suggest;
mod template;
mod valid;
mod write;

use proc_macro::TokenStream;

/// Turns a struct with named fields into an HTTP API call; see the `restruct` crate.
#[proc_macro_attribute]
pub fn endpoint(args: TokenStream, item: TokenStream) -> TokenStream {
    expand::endpoint(args.into(), item.into()).into()
}

/// Checks a struct's `#[validate(...)]` field rules through `restruct::Validate`; see the
/// `restruct` crate.
#[proc_macro_derive(Validate, attributes(validate))]
pub fn derive_validate(item: TokenStream) -> TokenStream {
    derive::validate(item.into()).into()
}
