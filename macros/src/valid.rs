//! Checks that need the template and the fields together, one function each; assigns the path
//! role.

use std::collections::BTreeMap;

use syn::LitStr;

use crate::args::Args;
use crate::ast::{option_inner, Field, Input, Role};
use crate::ctxt::Ctxt;
use crate::serde_attr::{self, Place};
use crate::suggest::did_you_mean;
use crate::template::Part;

/// Runs every check below. `template_complete` is false when the template had problems: a
/// field it failed to name may be meant as a path parameter, so unannotated fields are then not
/// judged as body fields.
pub fn check(cx: &Ctxt, args: &Args, parts: &[Part], template_complete: bool, input: &mut Input) {
    path_params(cx, &args.template, parts, input);
    let whole_body = one_whole_body(cx, input);
    body_fits_method(cx, args, template_complete, whole_body, input);
}

/// Gives each placeholder its field, which becomes a path parameter: each placeholder once,
/// naming a field that has no other role and is not an `Option`.
fn path_params(cx: &Ctxt, template: &LitStr, parts: &[Part], input: &mut Input) {
    let mut seen = BTreeMap::new();
    for name in parts.iter().filter_map(Part::field) {
        let count = seen.entry(name).or_insert(0);
        *count += 1;
        if *count == 2 {
            cx.error_spanned_by(
                template,
                format!("`<{name}>` appears twice in the path template; each field fills one placeholder"),
            );
        }
        if *count > 1 {
            continue;
        }
        let Some(field) = input.fields.iter_mut().find(|f| f.name == name) else {
            no_such_field(cx, template, name, input);
            continue;
        };
        if let Some(attr) = field.role_attr {
            cx.error_spanned_by(
                attr,
                format!(
                    "`{}` is already a path parameter (`<{}>` in the template), so it cannot also be `{}`; remove the attribute",
                    field.name,
                    field.name,
                    field.role.attr_name()
                ),
            );
        }
        if option_inner(field.ty).is_some() {
            cx.error_spanned_by(
                field.ty,
                format!(
                    "path parameter `{}` cannot be an `Option`: a URL path cannot leave a segment out; make the field required, or make it `#[query]`",
                    field.name
                ),
            );
        }
        field.role = Role::Path;
        field.role_attr = None;
    }
}

/// A placeholder that names no field, with the field it most likely meant.
fn no_such_field(cx: &Ctxt, template: &LitStr, name: &str, input: &mut Input) {
    let close = did_you_mean(name, input.fields.iter().map(|f| f.name.as_str()));
    let hint = match close {
        Some(close) => format!("; did you mean `<{close}>`?"),
        None => format!("; add a field `{name}` to the struct"),
    };
    cx.error_spanned_by(
        template,
        format!("the path template uses `<{name}>` but the struct has no field `{name}`{hint}"),
    );
    // The field the user most likely meant is taken as the path parameter, so that it is not
    // also reported as, say, a body field of a GET.
    if let Some(close) = close.map(str::to_owned) {
        if let Some(field) = input.fields.iter_mut().find(|f| f.name == close) {
            field.role = Role::Invalid;
        }
    }
}

/// At most one `#[body]` field; the first, if any.
fn one_whole_body<'i, 'a>(cx: &Ctxt, input: &'i Input<'a>) -> Option<&'i Field<'a>> {
    let mut whole_body = None;
    for field in &input.fields {
        if !matches!(field.role, Role::Body(_)) {
            continue;
        }
        match whole_body {
            None => whole_body = Some(field),
            Some(first) => cx.error_spanned_by(
                field.role_attr,
                format!(
                    "only one field can be the `#[body]`, and `{}` already is; merge them into one struct",
                    first.name
                ),
            ),
        }
    }
    whole_body
}

/// No body on a `GET` or `HEAD`, and no body members beside a `#[body]` field.
fn body_fits_method(
    cx: &Ctxt,
    args: &Args,
    template_complete: bool,
    whole_body: Option<&Field>,
    input: &Input,
) {
    let method = args.method.to_string();
    for field in &input.fields {
        match (&field.role, whole_body) {
            (Role::BodyField, _) if !template_complete => {}
            (Role::BodyField, _) if args.bodyless() => cx.error_spanned_by(
                field.ident,
                format!(
                    "`{method}` requests have no body, so `{name}` cannot be sent in one; mark it `#[query]`, `#[header(\"...\")]` or `#[skip]`",
                    name = field.name
                ),
            ),
            (Role::Body(_), _) if args.bodyless() => cx.error_spanned_by(
                field.role_attr,
                format!("`{method}` requests have no body; remove `#[body]` or use another method"),
            ),
            (Role::BodyField, Some(body)) => cx.error_spanned_by(
                field.ident,
                format!(
                    "`{name}` would be a member of the body, but `#[body]` on `{body}` is already the whole body; mark `{name}` `#[query]`, `#[header(\"...\")]` or `#[skip]`",
                    name = field.name,
                    body = body.name
                ),
            ),
            _ => {}
        }
    }
}

/// Reads the `#[serde]` options of every query field, and of every body field when the body is
/// `multipart`, now that the roles are known; a query parameter is named once.
pub fn serde_options(cx: &Ctxt, input: &mut Input, multipart: bool) {
    let derives_serde = input.derives_serde;
    for field in &mut input.fields {
        let place = match field.role {
            Role::Query(_) => Place::Query,
            Role::BodyField if multipart => Place::Multipart,
            _ => continue,
        };
        field.serde = serde_attr::read(cx, &field.serde_attrs, place, derives_serde);
        if let (Role::Query(attr), Some(rename)) = (&field.role, &field.serde.rename) {
            if let Some(wire) = &attr.wire {
                cx.error_spanned_by(
                    rename,
                    format!(
                        "`{}` is named twice: `#[query(\"{wire}\")]` and `rename`; keep one",
                        field.name
                    ),
                );
            }
        }
    }
}
