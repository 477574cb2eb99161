//! Code generation: the `Endpoint` impl and the inherent `send` methods.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned, ToTokens};
use syn::spanned::Spanned as _;
use syn::DeriveInput;

use crate::args::{self, Args};
use crate::ast::{option_inner, optional_inner, Input, Optional, Role};
use crate::ctxt::Ctxt;
use crate::rules::{self, FieldRules};
use crate::template::{self, Part};
use crate::{builder, fallback, meta, methods, paginate, valid};

/// Parse, check, then expand or fall back. Every stage records its problems in one `Ctxt`, so
/// that all of them are reported in one pass; a stage that cannot go on returns `None` (having
/// recorded why), and the stages after it, which would only report follow-on errors, do not run.
pub fn endpoint(args: TokenStream, item: TokenStream) -> TokenStream {
    let input: DeriveInput = match syn::parse2(item.clone()) {
        Ok(input) => input,
        // Not a struct, enum or union: nothing to re-emit but the item as written.
        Err(e) => {
            let e = e.into_compile_error();
            return quote!(#e #item);
        }
    };
    let cx = Ctxt::new();
    let args = args::parse(&cx, args);
    let checked = check(&cx, args.as_ref(), &input);
    match (cx.check(), checked) {
        (Ok(()), Some(checked)) => expand(&checked),
        // `Ok` with `None` does not happen: a stage that gives up has recorded an error.
        (errors, _) => fallback::emit(&input, args.as_ref(), errors.err()),
    }
}

/// What the checks found, ready to expand once no error was recorded.
struct Checked<'a> {
    args: &'a Args,
    input: Input<'a>,
    parts: Vec<Part>,
    field_rules: Vec<FieldRules<'a>>,
    paginate: Option<paginate::Plan<'a>>,
}

/// Reads the struct and checks it against the arguments (`None` when the arguments did not
/// parse). The fields are read even then, so that their own problems are reported too.
fn check<'a>(cx: &Ctxt, args: Option<&'a Args>, input: &'a DeriveInput) -> Option<Checked<'a>> {
    let parsed = Input::from_syn(cx, input);
    let field_rules = parsed
        .as_ref()
        .map(|parsed| rules::for_endpoint(cx, parsed))
        .unwrap_or_default();
    let (args, mut parsed) = (args?, parsed?);
    let (parts, problems) = template::parse(&args.template.value());
    for problem in &problems {
        cx.error_spanned_by(&args.template, problem);
    }
    let paginate = paginate::prepare(cx, args, &parts, &mut parsed);
    valid::check(cx, args, &parts, problems.is_empty(), &mut parsed);
    crate::body::check(cx, args, &parsed);
    crate::serde_attr::check(cx, &mut parsed, args.multipart.is_some());
    Some(Checked {
        args,
        input: parsed,
        parts,
        field_rules,
        paginate,
    })
}

/// `::restruct` or the path given with `crate = ...`.
pub fn krate(args: Option<&Args>) -> TokenStream {
    match args.and_then(|a| a.krate.as_ref()) {
        Some(path) => path.to_token_stream(),
        None => quote!(::restruct),
    }
}

fn expand(checked: &Checked) -> TokenStream {
    let Checked {
        args,
        input,
        parts,
        field_rules,
        paginate,
    } = checked;
    let args: &Args = args;
    let krate = krate(Some(args));
    let private = quote!(#krate::__private);
    let original = input.original;
    let ident = &original.ident;
    let (impl_generics, ty_generics, where_clause) = original.generics.split_for_impl();

    let method = &args.method;
    let template = &args.template;
    let unit = syn::parse_quote!(());
    let response = args.response.as_ref().unwrap_or(&unit);
    let error = crate::api::error_type(&private, args);

    let path = parts.iter().map(|part| match part {
        Part::Literal(text) => quote!(__req.path_literal(#text);),
        Part::Rest(name) => {
            let field = input.fields.iter().find(|f| f.name == *name);
            let field = field.expect("valid::check assigned every placeholder a field");
            let member = field.ident;
            quote_spanned!(field.ty.span()=> __req.path_rest(#name, &self.#member);)
        }
        Part::Param(name) => {
            let field = input
                .fields
                .iter()
                .find(|f| f.name == *name)
                .expect("valid::check assigned every placeholder a field");
            let member = field.ident;
            // Spanned at the type, so a missing `Display` points at the field.
            quote_spanned!(field.ty.span()=> __req.path_param(#name, &self.#member);)
        }
    });

    let mut query = Vec::new();
    let mut shape_defs = TokenStream::new();
    let api_headers = crate::api::headers(args);
    let api_checks = crate::api::checks(&private, args);
    let mut headers: Vec<TokenStream> = args
        .headers
        .iter()
        .map(|h| {
            let (name, value) = (&h.name, &h.value);
            // Constants: checked (by `args`, and again by `http` at compile time) and built once.
            quote!(__req.static_header(
                const { #private::HeaderName::from_static(#name) },
                const { #private::HeaderValue::from_static(#value) },
            );)
        })
        .collect();
    let mut body = None;
    let mut body_fields = Vec::new();
    for (index, field) in input.fields.iter().enumerate() {
        let member = field.ident;
        let name = &field.name;
        match &field.role {
            Role::Query(attr) => {
                let (write, defs) = crate::query::expand(&private, input, field, attr, index);
                query.push(write);
                shape_defs.extend(defs);
            }
            Role::Body(crate::body::BodyKind::Raw { content_type }) => {
                body = Some(crate::body::expand_raw(
                    &private,
                    field,
                    content_type.as_ref(),
                ));
            }
            Role::Header {
                name: header,
                sensitive,
            } => {
                let header = quote!(const { #private::HeaderName::from_static(#header) });
                // Spanned at the type, so a missing `Display` points at the field.
                let set = |span: Span, value: TokenStream| match sensitive {
                    None => quote_spanned!(span=> __req.header(#name, #header, #value);),
                    Some(marked) => {
                        quote_spanned!(span=> __req.header_marked(#name, #header, #value, #marked);)
                    }
                };
                headers.push(match option_inner(field.ty) {
                    Some(inner) => {
                        let set = set(inner.span(), quote_spanned!(inner.span()=> __value));
                        quote_spanned!(inner.span()=>
                            if let ::core::option::Option::Some(__value) = &self.#member {
                                #set
                            }
                        )
                    }
                    None => set(
                        field.ty.span(),
                        quote_spanned!(field.ty.span()=> &self.#member),
                    ),
                });
            }
            Role::Body(_) => {
                let write = body_writer(args);
                body = Some(match option_inner(field.ty) {
                    Some(inner) => quote_spanned!(inner.span()=>
                        if let ::core::option::Option::Some(__value) = &self.#member {
                            __req.#write(#name, __value);
                        }
                    ),
                    None => quote_spanned!(field.ty.span()=> __req.#write(#name, &self.#member);),
                });
            }
            Role::BodyField => body_fields.push(field),
            Role::Path | Role::Skip | Role::Invalid => {}
        }
    }

    let mut body_defs = TokenStream::new();
    if args.multipart.is_some() {
        body = Some(crate::body::expand_multipart(&private, &body_fields));
    } else if !body_fields.is_empty() {
        let (defs, write) = body_struct(args, input, &body_fields, &private);
        body_defs = defs;
        body = Some(write);
    }

    let decode_response = crate::api::decode_response(&private, args, response);
    let idempotent = args.idempotent.as_ref().map(|_| {
        quote! {
            fn idempotent() -> bool {
                true
            }
        }
    });

    let validate_fields = (!field_rules.is_empty()).then(|| {
        let checks = rules::expand(&private, field_rules);
        quote! {
            fn validate_fields(&self, __errors: &mut #private::ValidationErrors) {
                #checks
            }
        }
    });
    let (meta_static, meta_const) = meta::expand(args, input, &private, response, &error);

    let paginated = paginate
        .as_ref()
        .map(|plan| paginate::expand(plan, args, input, &private));
    let cleaned = fallback::clean_struct(original, input.derives_serde);
    let item = builder::emit(cleaned, &private, &response.to_token_stream(), &error);
    let methods = methods::inherent(
        original,
        Some(args),
        &private,
        &response.to_token_stream(),
        &error,
    );
    quote! {
        #item

        const _: () = {
            #body_defs
            #meta_static
            #shape_defs
            #api_checks

            #[automatically_derived]
            impl #impl_generics #private::Endpoint for #ident #ty_generics #where_clause {
                type Response = #response;
                type Error = #error;
                const METHOD: #private::Method = #private::Method::#method;
                const PATH: &'static str = #template;
                #meta_const

                fn write_request(&self, __req: &mut #private::RequestWriter<'_>) {
                    #(#path)*
                    #(#query)*
                    #(#headers)*
                    #api_headers
                    #body
                }

                #validate_fields
                #decode_response
                #idempotent
            }

            #methods
        };

        #paginated
    }
}

fn body_writer(args: &Args) -> syn::Ident {
    if args.form.is_some() {
        format_ident!("form_body")
    } else {
        format_ident!("json_body")
    }
}

/// A serde "remote" definition listing only the body fields (with their `#[serde]` attributes),
/// so the user's struct needs no `Serialize` and its other fields are never touched; plus a
/// transparent reference wrapper that serializes through it.
fn body_struct(
    args: &Args,
    input: &Input,
    fields: &[&crate::ast::Field],
    private: &TokenStream,
) -> (TokenStream, TokenStream) {
    let original = input.original;
    let ident = &original.ident;
    let generics = &original.generics;
    let (_, ty_generics, where_clause) = generics.split_for_impl();
    let serde_crate = format!("{private}::serde");
    let remote = ident.to_string();

    let skip_unset = format!("{private}::Nullable::is_unset");
    let members = fields.iter().map(|f| {
        let attrs = &f.serde_attrs;
        let member = f.ident;
        let ty = f.ty;
        // An unset `Nullable` is left out of the body unless the field says otherwise; serde
        // gives a value no way to leave out its own key.
        let says_when_to_skip = attrs
            .iter()
            .any(|a| a.to_token_stream().to_string().contains("skip_serializing"));
        let skip = (!says_when_to_skip
            && matches!(optional_inner(ty), Some((Optional::Nullable, _))))
        .then(|| quote!(#[serde(skip_serializing_if = #skip_unset)]));
        quote!(#(#attrs)* #skip #member: #ty,)
    });
    // Type parameters that no body field uses would be "never used": a skipped marker uses them.
    let type_params = generics.type_params().map(|p| &p.ident);
    let lifetimes = generics.lifetimes().map(|l| &l.lifetime);
    let marker = (!generics.params.is_empty()).then(|| {
        quote! {
            #[serde(skip)]
            __marker: ::core::marker::PhantomData<(#(fn() -> #type_params,)* #(&#lifetimes (),)*)>,
        }
    });
    let write = body_writer(args);
    let mut ref_generics = generics.clone();
    ref_generics
        .params
        .insert(0, syn::parse_quote!('__restruct_ref));
    let (ref_impl_generics, _, _) = ref_generics.split_for_impl();
    let defs = quote! {
        #[derive(#private::serde::Serialize)]
        #[serde(crate = #serde_crate, remote = #remote)]
        struct __RestructBody #generics #where_clause {
            #(#members)*
            #marker
        }

        #[derive(#private::serde::Serialize)]
        #[serde(crate = #serde_crate, transparent)]
        struct __RestructBodyRef #ref_impl_generics (
            #[serde(with = "__RestructBody")] &'__restruct_ref #ident #ty_generics,
        ) #where_clause;
    };
    let span = Span::call_site();
    let write = quote_spanned!(span=> __req.#write("body", &__RestructBodyRef(self)););
    (defs, write)
}
