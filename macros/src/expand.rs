//! The macro's stages, in order: parse (`args`, `ast`), check (`template`, `paginate`, `valid`,
//! `body`), then expand (the `Endpoint` impl, assembled here from the modules that generate each
//! part) or fall back (`fallback`).

use proc_macro2::TokenStream;
use quote::{quote, ToTokens};
use syn::DeriveInput;

use crate::args::{self, Args};
use crate::ast::{self, Input};
use crate::ctxt::Ctxt;
use crate::rules::{self, FieldRules};
use crate::template::{self, Part};
use crate::{builder, dummy, fallback, meta, methods, paginate, valid, write};

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
    let paginate = paginate::prepare(
        cx,
        args.paginate.as_ref(),
        &args.method,
        &parts,
        &mut parsed,
    );
    valid::check(cx, args, &parts, problems.is_empty(), &mut parsed);
    crate::body::check(cx, args, &parsed);
    valid::serde_options(cx, &mut parsed, args.multipart.is_some());
    Some(Checked {
        args,
        input: parsed,
        parts,
        field_rules,
        paginate,
    })
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
    let private = args::private(Some(args));
    let original = input.original;
    let ident = &original.ident;
    let (impl_generics, ty_generics, where_clause) = original.generics.split_for_impl();

    let method = &args.method;
    let template = &args.template;
    let unit = syn::parse_quote!(());
    let response = args.response.as_ref().unwrap_or(&unit);
    let error = crate::api::error_type(&private, args);

    let api_checks = crate::api::checks(&private, args);
    let write::Writes {
        write_request,
        query_defs,
        body_defs,
    } = write::write_request(args, input, parts, &private);

    let decode_response = crate::api::decode_response(&private, args, response);
    let idempotent = args.idempotent.as_ref().map(|_| {
        quote! {
            fn idempotent() -> bool {
                true
            }
        }
    });
    let idempotency_key = crate::api::idempotency_key(&private, args);

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
        .map(|plan| paginate::expand(plan, args.response.as_ref(), input, &private));
    let cleaned = ast::clean_struct(original, input.derives_serde);
    let item = builder::emit(cleaned, &private, &response.to_token_stream(), &error);
    let methods = methods::inherent(
        original,
        Some(args),
        &private,
        &response.to_token_stream(),
        &error,
    );
    let defs = dummy::wrap_in_const(quote! {
        #body_defs
        #meta_static
        #query_defs
        #api_checks

        #[automatically_derived]
        impl #impl_generics #private::Endpoint for #ident #ty_generics #where_clause {
            type Response = #response;
            type Error = #error;
            const METHOD: #private::Method = #private::Method::#method;
            const PATH: &'static str = #template;
            #meta_const

            fn write_request(&self, __req: &mut #private::RequestWriter<'_>) {
                #write_request
            }

            #validate_fields
            #decode_response
            #idempotent
            #idempotency_key
        }

        #methods

        #paginated
    });
    quote! {
        #item
        #defs
    }
}
