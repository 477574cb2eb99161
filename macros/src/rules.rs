//! `#[validate(...)]` field rules, read, checked and expanded the same way for `#[endpoint]`
//! fields and `#[derive(Validate)]` fields. The rules themselves run in
//! `restruct_core::rules`; this module only calls them.

use proc_macro2::{Group, Ident, Span, TokenStream, TokenTree};
use quote::{quote, quote_spanned};
use syn::ext::IdentExt as _;
use syn::meta::ParseNestedMeta;
use syn::spanned::Spanned as _;
use syn::{Attribute, Expr, Lit, Meta, Path, Token, Type, UnOp};

use crate::ast::{optional_inner, Input, Optional, Role};
use crate::ctxt::Ctxt;
use crate::suggest;

const RULES: [&str; 5] = ["non_empty", "length", "range", "with", "nested"];
const EXPECTED: &str =
    "expected `non_empty`, `length(min = .., max = ..)`, `range(min = .., max = ..)`, `with = path::to::function` or `nested`";

pub struct Rule {
    /// The rule's name as written: errors about the rule point at it.
    pub name: Ident,
    pub kind: Kind,
}

pub enum Kind {
    NonEmpty,
    Length {
        min: Option<Expr>,
        max: Option<Expr>,
    },
    Range {
        min: Option<Expr>,
        max: Option<Expr>,
    },
    With(Path),
    Nested,
}

/// A field and its rules, ready to expand.
pub struct FieldRules<'a> {
    pub member: &'a Ident,
    /// The name as the user wrote it, without `r#`: what violations call the field.
    pub name: String,
    pub ty: &'a Type,
    /// Whether the value may hold a secret (a header), so that violations never show it.
    pub secret: bool,
    pub rules: Vec<Rule>,
}

/// The rules of every `#[endpoint]` field that has some.
pub fn for_endpoint<'a>(cx: &Ctxt, input: &Input<'a>) -> Vec<FieldRules<'a>> {
    let mut out = Vec::new();
    for field in &input.fields {
        if field.validate_attrs.is_empty() {
            continue;
        }
        if field.role == Role::Skip {
            for attr in &field.validate_attrs {
                cx.error_spanned_by(
                    attr,
                    format!(
                        "`{}` is `#[skip]` and never sent, so `#[validate]` on it checks nothing; remove one of the two",
                        field.name
                    ),
                );
            }
            continue;
        }
        let rules = parse(cx, &field.validate_attrs, field.ty);
        out.push(FieldRules {
            member: field.ident,
            name: field.name.clone(),
            ty: field.ty,
            secret: matches!(field.role, Role::Header { .. }),
            rules,
        });
    }
    out
}

/// The rules in `attrs`, each `#[validate(...)]` on a field of type `ty`. Problems are
/// recorded in `cx`; what could be read is returned.
pub fn parse(cx: &Ctxt, attrs: &[&Attribute], ty: &Type) -> Vec<Rule> {
    let mut rules: Vec<Rule> = Vec::new();
    for attr in attrs {
        if !matches!(attr.meta, Meta::List(_)) {
            cx.error_spanned_by(
                attr,
                format!("`#[validate]` needs rules, as in `#[validate(non_empty)]`; {EXPECTED}"),
            );
            continue;
        }
        let mut empty = true;
        let result = attr.parse_nested_meta(|meta| {
            empty = false;
            if let Some(rule) = parse_rule(cx, &meta)? {
                let repeated = !matches!(rule.kind, Kind::With(_))
                    && rules.iter().any(|r| r.name == rule.name);
                if repeated {
                    cx.error_spanned_by(
                        &rule.name,
                        format!("duplicate rule `{}`; give each rule once", rule.name),
                    );
                } else {
                    rules.push(rule);
                }
            }
            Ok(())
        });
        if let Err(e) = result {
            cx.syn_error(e);
        } else if empty {
            cx.error_spanned_by(attr, format!("`#[validate()]` has no rules; {EXPECTED}"));
        }
    }
    let value_ty = optional_inner(ty).map_or(ty, |(_, inner)| inner);
    for rule in &rules {
        check(cx, rule, value_ty);
    }
    rules
}

/// One rule; `Ok(None)` when a problem was recorded and its tokens skipped.
fn parse_rule(cx: &Ctxt, meta: &ParseNestedMeta) -> syn::Result<Option<Rule>> {
    let Some(name) = meta.path.get_ident().cloned() else {
        cx.error_spanned_by(&meta.path, format!("unknown rule; {EXPECTED}"));
        skip(meta)?;
        return Ok(None);
    };
    let rule = name.unraw().to_string();
    let kind = match rule.as_str() {
        "non_empty" | "nested" => {
            if !meta.input.is_empty() && !meta.input.peek(Token![,]) {
                cx.error_spanned_by(&name, format!("`{rule}` takes no arguments"));
                skip(meta)?;
                return Ok(None);
            }
            if rule == "nested" {
                Kind::Nested
            } else {
                Kind::NonEmpty
            }
        }
        "length" | "range" => {
            let Some((min, max)) = parse_bounds(cx, meta, &name)? else {
                return Ok(None);
            };
            if rule == "length" {
                Kind::Length { min, max }
            } else {
                Kind::Range { min, max }
            }
        }
        "with" => {
            if !meta.input.peek(Token![=]) {
                cx.error_spanned_by(
                    &name,
                    "expected `with = path::to::function`, a function taking the field's value by reference and returning `Result<(), E>` where `E: Display`",
                );
                skip(meta)?;
                return Ok(None);
            }
            let value = meta.value()?;
            match value.parse::<Path>() {
                Ok(path) => Kind::With(path),
                Err(e) => {
                    cx.syn_error(syn::Error::new(
                        e.span(),
                        "expected the path of a function, as in `with = check_template_name`",
                    ));
                    skip(meta)?;
                    return Ok(None);
                }
            }
        }
        _ => {
            let hint = suggest::hint(&rule, RULES);
            cx.error_spanned_by(&name, format!("unknown rule `{rule}`; {EXPECTED}{hint}"));
            skip(meta)?;
            return Ok(None);
        }
    };
    Ok(Some(Rule { name, kind }))
}

type Bounds = (Option<Expr>, Option<Expr>);

/// `(min = .., max = ..)` after `length` or `range`.
fn parse_bounds(cx: &Ctxt, meta: &ParseNestedMeta, name: &Ident) -> syn::Result<Option<Bounds>> {
    let example = format!("`{name}(min = 1, max = 64)`");
    if !meta.input.peek(syn::token::Paren) {
        cx.error_spanned_by(
            name,
            format!("`{name}` needs `min = ..`, `max = ..` or both, as in {example}"),
        );
        skip(meta)?;
        return Ok(None);
    }
    let (mut min, mut max) = (None, None);
    let mut ok = true;
    meta.parse_nested_meta(|bound| {
        let key = bound.path.get_ident().map(ToString::to_string);
        let slot = match key.as_deref() {
            Some("min") => &mut min,
            Some("max") => &mut max,
            _ => {
                let written = key.unwrap_or_else(|| "this".to_owned());
                cx.error_spanned_by(
                    &bound.path,
                    format!("unknown `{name}` bound `{written}`; expected `min = ..` or `max = ..`, as in {example}"),
                );
                ok = false;
                return skip(&bound);
            }
        };
        let value: Expr = bound.value()?.parse()?;
        if slot.is_some() {
            cx.error_spanned_by(&bound.path, format!("duplicate `{}`", bound.path.get_ident().map_or_else(String::new, ToString::to_string)));
            ok = false;
        }
        *slot = Some(value);
        Ok(())
    })?;
    if !ok {
        return Ok(None);
    }
    if min.is_none() && max.is_none() {
        cx.error_spanned_by(
            name,
            format!("`{name}` needs `min = ..`, `max = ..` or both, as in {example}"),
        );
        return Ok(None);
    }
    Ok(Some((min, max)))
}

/// Skips the rest of one rule: `= tokens` or `(...)`, up to the next comma.
fn skip(meta: &ParseNestedMeta) -> syn::Result<()> {
    while !meta.input.is_empty() && !meta.input.peek(Token![,]) {
        meta.input.parse::<TokenTree>()?;
    }
    Ok(())
}

/// What can be seen from the tokens alone; the rest is left to trait bounds spanned at the field.
fn check(cx: &Ctxt, rule: &Rule, value_ty: &Type) {
    let (Kind::Length { min, max } | Kind::Range { min, max }) = &rule.kind else {
        return;
    };
    if matches!(rule.kind, Kind::Range { .. }) && is_string(value_ty) {
        cx.error_spanned_by(
            &rule.name,
            "`range` bounds numbers, and this field is a string; to bound its length use `length(min = .., max = ..)`",
        );
    }
    if let (Some(min), Some(max)) = (min, max) {
        if compare(min, max) == Some(std::cmp::Ordering::Greater) {
            cx.error_spanned_by(
                min,
                format!(
                    "`{}` has `min = {}` greater than `max = {}`, so no value passes",
                    rule.name,
                    tokens(min),
                    tokens(max)
                ),
            );
        }
    }
}

fn tokens(expr: &Expr) -> String {
    quote!(#expr).to_string().replace("- ", "-")
}

/// Compares two bounds written as number literals (possibly negative); `None` for anything else.
fn compare(a: &Expr, b: &Expr) -> Option<std::cmp::Ordering> {
    match (number(a)?, number(b)?) {
        (Number::Int(a), Number::Int(b)) => Some(a.cmp(&b)),
        (a, b) => a.as_f64().partial_cmp(&b.as_f64()),
    }
}

#[derive(Clone, Copy)]
enum Number {
    Int(i128),
    Float(f64),
}

impl Number {
    #[allow(clippy::cast_precision_loss)] // ok: only to order two literals
    fn as_f64(self) -> f64 {
        match self {
            Number::Int(i) => i as f64,
            Number::Float(f) => f,
        }
    }
}

fn number(expr: &Expr) -> Option<Number> {
    match expr {
        Expr::Lit(lit) => match &lit.lit {
            Lit::Int(i) => i.base10_parse().ok().map(Number::Int),
            Lit::Float(f) => f.base10_parse().ok().map(Number::Float),
            _ => None,
        },
        Expr::Unary(unary) if matches!(unary.op, UnOp::Neg(_)) => match number(&unary.expr)? {
            Number::Int(i) => Some(Number::Int(-i)),
            Number::Float(f) => Some(Number::Float(-f)),
        },
        Expr::Group(group) => number(&group.expr),
        Expr::Paren(paren) => number(&paren.expr),
        _ => None,
    }
}

/// Whether `ty` is written as an obvious string type: `String`, `str`, `&str`, `Box<str>`,
/// `Cow<str>` (any path ending so).
fn is_string(ty: &Type) -> bool {
    match ty {
        Type::Reference(r) => is_string(&r.elem),
        Type::Group(g) => is_string(&g.elem),
        Type::Paren(p) => is_string(&p.elem),
        Type::Path(p) if p.qself.is_none() => {
            let Some(last) = p.path.segments.last() else {
                return false;
            };
            if last.ident == "String" || last.ident == "str" {
                return true;
            }
            if last.ident != "Box"
                && last.ident != "Cow"
                && last.ident != "Rc"
                && last.ident != "Arc"
            {
                return false;
            }
            match &last.arguments {
                syn::PathArguments::AngleBracketed(args) => args.args.iter().any(
                    |arg| matches!(arg, syn::GenericArgument::Type(inner) if is_string(inner)),
                ),
                _ => false,
            }
        }
        _ => false,
    }
}

/// The statements that check every rule of `fields` on `self`, recording into `__errors`.
pub fn expand(private: &TokenStream, fields: &[FieldRules]) -> TokenStream {
    let fields = fields.iter().filter(|f| !f.rules.is_empty()).map(|field| {
        let member = field.member;
        let name = &field.name;
        let field_ctor = if field.secret {
            quote!(#private::rules::Field::secret(#name))
        } else {
            quote!(#private::rules::Field::new(#name))
        };
        let optional = optional_inner(field.ty);
        let value_ty = optional.map_or(field.ty, |(_, inner)| inner);
        // Spanned at the field's type, so that a missing trait (`HasLength`, `PartialOrd`,
        // `Validate`) is reported on the field.
        let span = value_ty.span();
        // The whole call carries that span, path included; otherwise rustc labels the call
        // at the attribute as well.
        let private = &respan(private.clone(), span);
        let checks = field.rules.iter().map(|rule| match &rule.kind {
            Kind::NonEmpty => quote_spanned!(span=>
                #private::rules::non_empty(__errors, __field, __value);
            ),
            Kind::Length { min, max } => {
                let min = some(min.as_ref().map(|min| quote!(#min)));
                let max = some(max.as_ref().map(|max| quote!(#max)));
                quote_spanned!(span=>
                    #private::rules::length(__errors, __field, __value, #min, #max);
                )
            }
            Kind::Range { min, max } => {
                let min = some(min.as_ref().map(|min| quote!(&#min)));
                let max = some(max.as_ref().map(|max| quote!(&#max)));
                quote_spanned!(span=>
                    #private::rules::range(__errors, __field, __value, #min, #max);
                )
            }
            Kind::With(path) => {
                let private = respan(private.clone(), path.span());
                quote_spanned!(path.span()=>
                    #private::rules::with(__errors, __field, #path(__value));
                )
            }
            Kind::Nested => quote_spanned!(span=>
                #private::rules::nested(__errors, __field, __value);
            ),
        });
        match optional.map(|(how, _)| how) {
            Some(Optional::Option) => quote! {
                if let ::core::option::Option::Some(__value) = &self.#member {
                    let __field = #field_ctor;
                    #(#checks)*
                }
            },
            Some(Optional::Nullable) => quote! {
                if let ::core::option::Option::Some(__value) = #private::Nullable::value(&self.#member) {
                    let __field = #field_ctor;
                    #(#checks)*
                }
            },
            None => quote! {
                {
                    let __value = &self.#member;
                    let __field = #field_ctor;
                    #(#checks)*
                }
            },
        }
    });
    quote!(#(#fields)*)
}

fn respan(tokens: TokenStream, span: Span) -> TokenStream {
    tokens
        .into_iter()
        .map(|mut token| {
            if let TokenTree::Group(group) = &token {
                let mut respanned = Group::new(group.delimiter(), respan(group.stream(), span));
                respanned.set_span(span);
                token = TokenTree::Group(respanned);
            } else {
                token.set_span(span);
            }
            token
        })
        .collect()
}

fn some(value: Option<TokenStream>) -> TokenStream {
    match value {
        Some(value) => quote!(::core::option::Option::Some(#value)),
        None => quote!(::core::option::Option::None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules_of(field: TokenStream) -> (Vec<Rule>, Option<String>) {
        let field: syn::DeriveInput = syn::parse2(quote!(struct S { #field })).unwrap();
        let syn::Data::Struct(data) = &field.data else {
            unreachable!()
        };
        let field = data.fields.iter().next().unwrap();
        let attrs: Vec<&Attribute> = field.attrs.iter().collect();
        let cx = Ctxt::new();
        let rules = parse(&cx, &attrs, &field.ty);
        let errors = cx.check().err().map(|e| e.to_string());
        (rules, errors)
    }

    #[test]
    fn reads_every_rule() {
        let (rules, errors) = rules_of(quote! {
            #[validate(non_empty, length(min = 1, max = 64))]
            #[validate(with = crate::check, with = other, nested)]
            f: Option<String>
        });
        assert_eq!(errors, None);
        let names: Vec<String> = rules.iter().map(|r| r.name.to_string()).collect();
        assert_eq!(names, ["non_empty", "length", "with", "with", "nested"]);
    }

    #[test]
    fn refuses_misuse() {
        let error = |field| rules_of(field).1.unwrap();
        assert!(
            error(quote!(#[validate(nonempty)] f: String)).contains("did you mean `non_empty`?")
        );
        assert!(error(quote!(#[validate(range(min = 1))] f: Option<String>))
            .contains("`range` bounds numbers"));
        assert!(error(quote!(#[validate(range(min = 1))] f: &'a str))
            .contains("`range` bounds numbers"));
        assert!(
            error(quote!(#[validate(length(min = 5, max = 2))] f: String))
                .contains("`length` has `min = 5` greater than `max = 2`")
        );
        assert!(error(quote!(#[validate(range(min = -1, max = -2))] f: i32))
            .contains("`range` has `min = -1` greater than `max = -2`"));
        assert!(error(quote!(#[validate(length)] f: String)).contains("needs `min = ..`"));
        assert!(error(quote!(#[validate(length(mni = 1))] f: String))
            .contains("unknown `length` bound `mni`"));
        assert!(
            error(quote!(#[validate(non_empty, non_empty)] f: String)).contains("duplicate rule")
        );
        assert!(error(quote!(#[validate] f: String)).contains("needs rules"));
        assert!(error(quote!(#[validate(non_empty = 1)] f: String)).contains("takes no arguments"));
        assert!(error(quote!(#[validate(with)] f: String))
            .contains("expected `with = path::to::function`"));
    }

    #[test]
    fn accepts_sound_bounds() {
        assert_eq!(
            rules_of(quote!(#[validate(range(min = 30, max = 315360000))] f: Option<u64>)).1,
            None
        );
        assert_eq!(
            rules_of(quote!(#[validate(range(min = 0.5, max = 1))] f: f64)).1,
            None
        );
        assert_eq!(
            rules_of(quote!(#[validate(length(min = 3, max = 3))] f: Vec<u8>)).1,
            None
        );
        assert_eq!(
            rules_of(quote!(#[validate(range(min = MIN, max = MAX))] f: u8)).1,
            None
        );
    }

    #[test]
    fn string_types() {
        for ty in [
            quote!(String),
            quote!(std::string::String),
            quote!(&str),
            quote!(Box<str>),
            quote!(Cow<'a, str>),
        ] {
            let ty: Type = syn::parse2(ty).unwrap();
            assert!(is_string(&ty));
        }
        for ty in [quote!(u64), quote!(Vec<String>), quote!(Strings)] {
            let ty: Type = syn::parse2(ty).unwrap();
            assert!(!is_string(&ty));
        }
    }
}
