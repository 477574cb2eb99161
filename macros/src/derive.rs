//! `#[derive(Validate)]`: the `#[validate(...)]` field rules of a plain struct (a request body,
//! say), checked by `restruct::Validate::validate_into`.

use proc_macro2::TokenStream;
use quote::{quote, ToTokens as _};
use syn::ext::IdentExt as _;
use syn::{Attribute, DeriveInput, Path};

use crate::ctxt::Ctxt;
use crate::rules::{self, FieldRules};

pub fn validate(item: TokenStream) -> TokenStream {
    let input: DeriveInput = match syn::parse2(item) {
        Ok(input) => input,
        Err(e) => return e.into_compile_error(),
    };
    let cx = Ctxt::new();
    let krate = crate_path(&cx, &input.attrs);
    let fields = fields(&cx, &input);
    let private = match &krate {
        Some(path) => quote!(#path::__private),
        None => quote!(::restruct::__private),
    };
    let (body, errors) = match cx.check() {
        Ok(()) => (rules::expand(&private, &fields), None),
        // The impl is still emitted, checking nothing, so that uses of it type-check and the
        // only errors are ours.
        Err(errors) => (TokenStream::new(), Some(errors.into_compile_error())),
    };
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let allow = crate::dummy::allow_lints();
    quote! {
        #errors

        #allow
        #[automatically_derived]
        impl #impl_generics #private::Validate for #ident #ty_generics #where_clause {
            fn validate_into(&self, __errors: &mut #private::ValidationErrors) {
                #body
            }
        }
    }
}

fn fields<'a>(cx: &Ctxt, input: &'a DeriveInput) -> Vec<FieldRules<'a>> {
    let Some(named) = crate::ast::named_fields(
        cx,
        input,
        "#[derive(Validate)]",
        "implement `restruct::Validate` by hand",
    ) else {
        return Vec::new();
    };
    named
        .iter()
        .filter_map(|field| {
            let member = field.ident.as_ref()?;
            let attrs: Vec<&Attribute> = field
                .attrs
                .iter()
                .filter(|a| a.path().is_ident("validate"))
                .collect();
            if attrs.is_empty() {
                return None;
            }
            Some(FieldRules {
                member,
                name: member.unraw().to_string(),
                ty: &field.ty,
                secret: false,
                rules: rules::parse(cx, &attrs, &field.ty),
            })
        })
        .collect()
}

/// `#[validate(crate = path)]` on the struct, for crates that re-export restruct.
fn crate_path(cx: &Ctxt, attrs: &[Attribute]) -> Option<Path> {
    let mut krate = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident("validate")) {
        let result = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("crate") {
                let path = meta.value()?.call(Path::parse_mod_style)?;
                if krate.is_some() {
                    cx.error_spanned_by(&meta.path, "duplicate `crate`");
                }
                krate = Some(path);
                Ok(())
            } else {
                Err(meta.error(format!(
                    "unknown option `{}` on the struct; expected `crate = path`; rules go on fields",
                    meta.path.to_token_stream()
                )))
            }
        });
        if let Err(e) = result {
            cx.syn_error(e);
        }
    }
    krate
}
