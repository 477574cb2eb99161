//! `Endpoint::META`: what the macro knows about the endpoint, written out as a `static`.

use proc_macro2::TokenStream;
use quote::{quote, ToTokens};
use syn::Type;

use crate::args::Args;
use crate::ast::{option_inner, optional_inner, Field, Input, Optional, Role};
use crate::serde_attr::SerdeField;

/// The `static` (to go in the `const _` block) and the `const META` item (to go in the impl).
pub fn expand(
    args: &Args,
    input: &Input,
    private: &TokenStream,
    response: &Type,
    error: &TokenStream,
) -> (TokenStream, TokenStream) {
    let meta = quote!(#private::meta);
    let name = input.original.ident.to_string();
    let method = args.method.to_string();
    let template = &args.template;

    let mut params = Vec::new();
    let mut members = Vec::new();
    let mut whole = None;
    let mut raw = None;
    for field in &input.fields {
        let field_name = &field.name;
        let param_styled = |wire: &str,
                            location: TokenStream,
                            declared: Option<crate::attr::Style>| {
            let required = optional_inner(field.ty).is_none() && !is_sequence(field.ty);
            let inner = optional_inner(field.ty).map_or(field.ty, |(_, inner)| inner);
            use crate::attr::Style;
            let style = match declared {
                Some(Style::Comma) => quote!(#meta::ParamStyle::Comma),
                Some(Style::Space) => quote!(#meta::ParamStyle::SpaceDelimited),
                Some(Style::Pipe) => quote!(#meta::ParamStyle::PipeDelimited),
                Some(Style::Brackets) => quote!(#meta::ParamStyle::Brackets),
                Some(Style::DeepObject) => quote!(#meta::ParamStyle::DeepObject),
                Some(Style::Form) | None if is_sequence(inner) => {
                    quote!(#meta::ParamStyle::Repeated)
                }
                Some(Style::Form) | None => quote!(#meta::ParamStyle::Single),
            };
            quote!(#meta::ParamMeta::new(#field_name, #wire, #meta::ParamLocation::#location, #required, #style))
        };
        match &field.role {
            Role::Path => params.push(param_styled(field_name, quote!(Path), None)),
            Role::Query(attr) => {
                let wire = attr.wire.as_deref().unwrap_or(field_name);
                params.push(param_styled(wire, quote!(Query), Some(attr.style)));
            }
            Role::Header { name, .. } => params.push(param_styled(name, quote!(Header), None)),
            Role::BodyField => {
                if let Some((wire, presence)) = member(field, args.multipart.is_some()) {
                    members.push(quote!(#meta::MemberMeta::new(#field_name, #wire, #meta::Presence::#presence)));
                }
            }
            Role::Body(crate::attr::BodyKind::Serialized) => whole = Some(field),
            Role::Body(crate::attr::BodyKind::Raw { content_type }) => {
                let media = content_type
                    .as_deref()
                    .unwrap_or("application/octet-stream");
                raw = Some((field, media.to_owned()));
            }
            Role::Skip | Role::Invalid => {}
        }
    }
    let kind = if args.form.is_some() {
        quote!(#meta::BodyKind::Form)
    } else if args.multipart.is_some() {
        quote!(#meta::BodyKind::Other("multipart/form-data"))
    } else {
        quote!(#meta::BodyKind::Json)
    };
    let body = match (whole, raw) {
        (_, Some((field, media))) => {
            let field_name = &field.name;
            let required = option_inner(field.ty).is_none();
            quote!(#meta::BodyMeta::whole(#meta::BodyKind::Other(#media), #field_name, #required))
        }
        (whole, None) => match whole {
            Some(field) => {
                let field_name = &field.name;
                let required = option_inner(field.ty).is_none();
                quote!(#meta::BodyMeta::whole(#kind, #field_name, #required))
            }
            None if input.fields.iter().any(|f| f.role == Role::BodyField) => {
                quote!(#meta::BodyMeta::members(#kind, &[#(#members),*]))
            }
            None => quote!(#meta::BodyMeta::NONE),
        },
    };
    let headers = args.headers.iter().map(|h| {
        let (name, value) = (&h.name, &h.value);
        quote!((#name, #value))
    });
    let response_name = type_name(&response.to_token_stream());
    let error_name = if args.error.is_some() {
        type_name(error)
    } else {
        "serde_json::Value".to_owned()
    };
    let schemas = schemas(input, private, response, error, whole);

    let statik = quote! {
        #[doc(hidden)]
        static __RESTRUCT_META: #meta::EndpointMeta = #meta::EndpointMeta::new(#name, #method, #template)
            .params(&[#(#params),*])
            .static_headers(&[#(#headers),*])
            .body(#body)
            .types(#response_name, #error_name)
            .schemas(#schemas);
    };
    let item = quote! {
        const META: ::core::option::Option<&'static #meta::EndpointMeta> =
            ::core::option::Option::Some(&__RESTRUCT_META);
    };
    (statik, item)
}

/// The schema function when the facade's `schema` feature is on (`None` otherwise, and for
/// endpoints with type parameters, which a function outside the impl cannot name).
fn schemas(
    input: &Input,
    private: &TokenStream,
    response: &Type,
    error: &TokenStream,
    whole: Option<&Field>,
) -> TokenStream {
    if !input.original.generics.params.is_empty() {
        return quote!(::core::option::Option::None);
    }
    let schema = quote!(#private::schema);
    let probe = |ty: &dyn ToTokens, generator: TokenStream| quote!(#schema::Probe::<#ty>::new().schema(&mut #generator));
    let response_schema = probe(response, quote!(__res));
    let error_schema = probe(error, quote!(__res));
    let body = match whole {
        Some(field) => {
            let ty = option_inner(field.ty).unwrap_or(field.ty);
            probe(ty, quote!(__req))
        }
        None => quote!(::core::option::Option::None),
    };
    let fields = input.fields.iter().filter_map(|field| {
        let sent = matches!(
            field.role,
            Role::Path | Role::Query { .. } | Role::Header { .. } | Role::BodyField
        );
        if !sent || (field.role == Role::BodyField && member(field, false).is_none()) {
            return None;
        }
        let (name, ty) = (&field.name, field.ty);
        let schema = probe(ty, quote!(__req));
        Some(quote!((#name, #schema)))
    });
    quote! {
        #private::if_schema! {
            {
                fn __restruct_schemas() -> #private::meta::EndpointSchemas {
                    #[allow(unused_imports)]
                    use #schema::NoSchema as _;
                    let mut __res = #schema::response_generator();
                    let mut __req = #schema::request_generator();
                    let __response = #response_schema;
                    let __error = #error_schema;
                    let __body = #body;
                    let __fields = ::std::vec![#(#fields),*];
                    #schema::finish(__res, __req, __response, __error, __body, __fields)
                }
                __restruct_schemas as fn() -> #private::meta::EndpointSchemas
            }
        }
    }
}

/// The JSON key and presence of a body member, `None` when serde never sends it.
/// The wire name and presence of a body member; `parts`: a multipart body, where `None`
/// leaves the part out (there is no `null` to send).
fn member(field: &Field, parts: bool) -> Option<(String, TokenStream)> {
    let serde = SerdeField::read(&field.serde_attrs);
    if serde.skip {
        return None;
    }
    let presence = if serde.flatten {
        quote!(Flatten)
    } else {
        match optional_inner(field.ty) {
            Some((Optional::Nullable, _)) => quote!(OptionalOrNull),
            Some((Optional::Option, _)) if serde.skip_if || parts => quote!(Optional),
            Some((Optional::Option, _)) => quote!(AlwaysOrNull),
            None if serde.skip_if => quote!(Optional),
            None => quote!(Always),
        }
    };
    Some((serde.rename.unwrap_or_else(|| field.name.clone()), presence))
}

/// Whether a type is written as a sequence, which a query repeats (`k=a&k=b`).
fn is_sequence(ty: &Type) -> bool {
    match ty {
        Type::Group(group) => is_sequence(&group.elem),
        Type::Paren(paren) => is_sequence(&paren.elem),
        Type::Reference(reference) => is_sequence(&reference.elem),
        Type::Slice(_) | Type::Array(_) => true,
        Type::Path(path) => path.path.segments.last().is_some_and(|last| {
            matches!(
                last.ident.to_string().as_str(),
                "Vec" | "VecDeque" | "HashSet" | "BTreeSet" | "IndexSet" | "SmallVec"
            )
        }),
        _ => false,
    }
}

/// A type as a user writes it: `Vec<User>`, not `Vec < User >`.
fn type_name(tokens: &TokenStream) -> String {
    let mut out = tokens.to_string();
    for (from, to) in [
        (" < ", "<"),
        ("< ", "<"),
        (" >", ">"),
        (" :: ", "::"),
        (":: ", "::"),
        (" ,", ","),
        ("& ", "&"),
        ("( ", "("),
        (" )", ")"),
    ] {
        out = out.replace(from, to);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names_read_as_written() {
        let ty: Type = syn::parse_quote!(::std::vec::Vec<crate::User>);
        assert_eq!(
            type_name(&ty.to_token_stream()),
            "::std::vec::Vec<crate::User>"
        );
        let ty: Type = syn::parse_quote!(HashMap<String, (u8, &'static str)>);
        assert_eq!(
            type_name(&ty.to_token_stream()),
            "HashMap<String, (u8, &'static str)>"
        );
        let ty: Type = syn::parse_quote!(());
        assert_eq!(type_name(&ty.to_token_stream()), "()");
    }

    #[test]
    fn sequences_are_recognised_by_their_written_type() {
        for ty in [
            quote!(Vec<String>),
            quote!(&'a [u8]),
            quote!([u32; 3]),
            quote!(std::collections::BTreeSet<u8>),
        ] {
            assert!(is_sequence(&syn::parse2(ty.clone()).unwrap()), "{ty}");
        }
        assert!(!is_sequence(&syn::parse_quote!(String)));
    }
}
