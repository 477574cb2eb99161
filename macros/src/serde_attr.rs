//! `#[serde(...)]` on fields whose wire form restruct writes itself (`#[query]` fields and the
//! fields of a `multipart` endpoint): each option is honoured, or refused with what to write
//! instead. Never silently dropped. And `SerdeField`: what serde itself does with the options
//! of a field it serializes (a member of a JSON or form body), read without refusing any.

use syn::ext::IdentExt as _;
use syn::meta::ParseNestedMeta;
use syn::{Attribute, ExprPath, Ident, LitStr, Path, Token};

use crate::ctxt::Ctxt;

#[derive(Default)]
pub struct SerdeOpts {
    /// `rename = "..."` or `rename(serialize = "...")`.
    pub rename: Option<LitStr>,
    /// `skip_serializing_if = "path"`.
    pub skip_if: Option<ExprPath>,
    /// `serialize_with = "path"` or `with = "module"`.
    pub with: Option<With>,
}

pub enum With {
    Function(ExprPath),
    Module(Path),
}

/// What kind of field the options are read for.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Query,
    Multipart,
}

/// What a field's `#[serde(...)]` attributes say about serializing it, read as serde reads them
/// for a field that serde serializes (a member of a JSON or form body). Attributes that do not
/// parse are left to serde, which reports them.
#[derive(Default)]
pub struct SerdeField {
    pub rename: Option<String>,
    /// `skip` or `skip_serializing`.
    pub skip: bool,
    /// `skip_serializing_if = "..."`.
    pub skip_if: bool,
    pub flatten: bool,
}

impl SerdeField {
    pub fn read(attrs: &[&Attribute]) -> Self {
        let mut out = SerdeField::default();
        for attr in attrs {
            let _ = attr.parse_nested_meta(|meta| {
                let key = meta.path.get_ident().map(ToString::to_string);
                match key.as_deref() {
                    Some("rename") if meta.input.peek(Token![=]) => {
                        out.rename = Some(meta.value()?.parse::<LitStr>()?.value());
                    }
                    Some("rename") => meta.parse_nested_meta(|inner| {
                        let value = inner.value()?.parse::<LitStr>()?.value();
                        if inner.path.is_ident("serialize") {
                            out.rename = Some(value);
                        }
                        Ok(())
                    })?,
                    Some("skip" | "skip_serializing") => out.skip = true,
                    Some("flatten") => out.flatten = true,
                    Some("skip_serializing_if") => {
                        out.skip_if = true;
                        meta.value()?.parse::<LitStr>()?;
                    }
                    _ => skip_value(&meta)?,
                }
                Ok(())
            });
        }
        out
    }
}

/// The `#[serde]` options in `attrs`, the attributes of a field sent as `place`; each option is
/// honoured or refused. `derives_serde`: the struct derives serde itself, which may read the
/// options that only affect deserializing.
pub fn read(cx: &Ctxt, attrs: &[&Attribute], place: Place, derives_serde: bool) -> SerdeOpts {
    let mut opts = SerdeOpts::default();
    let role = match place {
        Place::Query => "a `#[query]` field",
        Place::Multipart => "a field of a `multipart` endpoint",
    };
    for attr in attrs {
        let result = attr.parse_nested_meta(|meta| {
            let Some(key) = meta.path.get_ident().map(Ident::unraw) else {
                return Err(meta.error("expected a serde option"));
            };
            match key.to_string().as_str() {
                "rename" => read_rename(cx, &meta, &mut opts, derives_serde)?,
                "skip_serializing_if" => {
                    let lit: LitStr = meta.value()?.parse()?;
                    match lit.parse::<ExprPath>() {
                        Ok(path) => opts.skip_if = Some(path),
                        Err(_) => cx.error_spanned_by(&lit, "expected a function path, as in \"Option::is_none\""),
                    }
                }
                "serialize_with" | "with" if place == Place::Multipart => {
                    skip_value(&meta)?;
                    cx.error_spanned_by(
                        &meta.path,
                        format!("`{key}` cannot shape a multipart part; give the field a type that implements `restruct::MultipartValue` instead"),
                    );
                }
                "serialize_with" => {
                    let lit: LitStr = meta.value()?.parse()?;
                    match lit.parse::<ExprPath>() {
                        Ok(path) => set_with(cx, &mut opts, With::Function(path), &meta),
                        Err(_) => cx.error_spanned_by(&lit, "expected a function path, as in \"my_module::serialize\""),
                    }
                }
                "with" => {
                    let lit: LitStr = meta.value()?.parse()?;
                    match lit.parse::<Path>() {
                        Ok(path) => set_with(cx, &mut opts, With::Module(path), &meta),
                        Err(_) => cx.error_spanned_by(&lit, "expected a module path, as in \"my_module\""),
                    }
                }
                // Read by the struct's own `Deserialize` derive; nothing to do with the request.
                "default" | "deserialize_with" | "alias" | "borrow" if derives_serde => {
                    skip_value(&meta)?;
                }
                "default" | "deserialize_with" | "alias" | "borrow" => {
                    skip_value(&meta)?;
                    cx.error_spanned_by(
                        &meta.path,
                        format!("`{key}` only affects deserializing, and this field is only sent; remove it"),
                    );
                }
                "skip" | "skip_serializing" => {
                    skip_value(&meta)?;
                    cx.error_spanned_by(
                        &meta.path,
                        format!("`{key}` on {role}: a field that is never sent is marked `#[skip]`; for a condition, write `skip_serializing_if = \"...\"`"),
                    );
                }
                "flatten" => {
                    cx.error_spanned_by(
                        &meta.path,
                        match place {
                            Place::Query => "`flatten` cannot spread a value into the query; give each parameter its own `#[query]` field, or send the struct as `key[member]=value` with `#[query(style = deepObject)]`",
                            Place::Multipart => "`flatten` cannot spread a value into parts; give each part its own field",
                        },
                    );
                }
                other => {
                    skip_value(&meta)?;
                    cx.error_spanned_by(
                        &meta.path,
                        format!("serde option `{other}` is not supported on {role}; restruct writes it itself and honours `rename`, `skip_serializing_if`{}", if place == Place::Query { ", `serialize_with` and `with`" } else { "" }),
                    );
                }
            }
            Ok(())
        });
        if let Err(e) = result {
            cx.syn_error(e);
        }
    }
    opts
}

fn read_rename(
    cx: &Ctxt,
    meta: &ParseNestedMeta,
    opts: &mut SerdeOpts,
    derives_serde: bool,
) -> syn::Result<()> {
    if meta.input.peek(syn::Token![=]) {
        opts.rename = Some(meta.value()?.parse()?);
        return Ok(());
    }
    let mut deserialize_only = None;
    meta.parse_nested_meta(|inner| {
        let lit: LitStr = inner.value()?.parse()?;
        if inner.path.is_ident("serialize") {
            opts.rename = Some(lit);
        } else if inner.path.is_ident("deserialize") {
            deserialize_only = Some(lit);
        } else {
            return Err(inner.error("expected `serialize = \"...\"` or `deserialize = \"...\"`"));
        }
        Ok(())
    })?;
    if let (None, Some(lit), false) = (&opts.rename, deserialize_only, derives_serde) {
        cx.error_spanned_by(
            &lit,
            "`rename(deserialize = ...)` only affects deserializing, and this field is only sent; write `rename = \"...\"`",
        );
    }
    Ok(())
}

fn set_with(cx: &Ctxt, opts: &mut SerdeOpts, with: With, meta: &ParseNestedMeta) {
    if opts.with.is_some() {
        cx.error_spanned_by(
            &meta.path,
            "`serialize_with` and `with` both given; keep one",
        );
    } else {
        opts.with = Some(with);
    }
}

/// Skips `= value` or `(...)` after a key, if any.
fn skip_value(meta: &ParseNestedMeta) -> syn::Result<()> {
    if meta.input.peek(Token![=]) {
        let _: syn::Expr = meta.value()?.parse()?;
    } else if meta.input.peek(syn::token::Paren) {
        let content;
        syn::parenthesized!(content in meta.input);
        content.parse::<proc_macro2::TokenStream>()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(field: proc_macro2::TokenStream) -> SerdeField {
        let field: syn::Field = syn::parse::Parser::parse2(syn::Field::parse_named, field).unwrap();
        let attrs: Vec<&Attribute> = field.attrs.iter().collect();
        SerdeField::read(&attrs)
    }

    #[test]
    fn serde_field_reads_options_not_text() {
        let serde = read(quote::quote!(
            #[serde(rename = "skip_serializing", with = "skip_serializing_if")]
            a: u8
        ));
        assert!(!serde.skip && !serde.skip_if);
        assert_eq!(serde.rename.as_deref(), Some("skip_serializing"));
        let serde = read(quote::quote!(#[serde(default, skip_serializing_if = "f")] a: u8));
        assert!(serde.skip_if && !serde.skip);
        assert!(read(quote::quote!(#[serde(skip)] a: u8)).skip);
        assert!(read(quote::quote!(#[serde(rename(serialize = "b"), flatten)] a: u8)).flatten);
    }
}
