//! The attributes of generated items, as serde_derive (its `dummy.rs`) and thiserror give
//! theirs: the expansion must not trip a lint the user's crate turns on, and its helpers stay
//! out of the user's namespace and docs.

use proc_macro2::TokenStream;
use quote::quote;

/// `const _: () = { code };`: the items of one endpoint, whose helper names nothing outside can
/// see, with the lints off that a generated path or binding would trip (impls inside are
/// documented on their type as usual).
pub fn wrap_in_const(code: TokenStream) -> TokenStream {
    quote! {
        #[doc(hidden)]
        #[allow(
            non_upper_case_globals,
            unused_attributes,
            unused_qualifications,
            clippy::absolute_paths,
            clippy::used_underscore_binding,
            clippy::future_not_send,
            clippy::trait_duplication_in_bounds,
        )]
        const _: () = {
            #code
        };
    }
}

/// The lints of `wrap_in_const`, off for an impl that cannot be inside the block.
pub fn allow_lints() -> TokenStream {
    quote! {
        #[allow(
            unused_qualifications,
            clippy::absolute_paths,
            clippy::used_underscore_binding,
            clippy::future_not_send,
        )]
    }
}
