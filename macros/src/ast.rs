//! The struct as the macro sees it: fields with their roles, keeping the original tokens so that
//! errors point at them.

use quote::ToTokens;
use syn::ext::IdentExt as _;
use syn::punctuated::Punctuated;
use syn::{Attribute, Data, DeriveInput, Fields, Ident, Token, Type};

use crate::attr;
use crate::ctxt::Ctxt;

/// Attributes this macro owns on fields; they are removed from the emitted struct.
pub const HELPERS: [&str; 6] = ["query", "header", "body", "skip", "validate", "paginate"];

pub struct Input<'a> {
    pub original: &'a DeriveInput,
    pub fields: Vec<Field<'a>>,
    /// Whether the struct derives `Serialize` or `Deserialize` itself, so its `#[serde]` field
    /// attributes are claimed by that derive and must stay.
    pub derives_serde: bool,
}

pub struct Field<'a> {
    pub ident: &'a Ident,
    /// The name without `r#`: what placeholders and wire names use.
    pub name: String,
    pub ty: &'a Type,
    pub role: Role,
    /// The attribute that gave the role, for errors.
    pub role_attr: Option<&'a Attribute>,
    pub serde_attrs: Vec<&'a Attribute>,
    pub validate_attrs: Vec<&'a Attribute>,
    /// What its `#[serde]` attributes ask of a query or multipart field (read by
    /// `valid::serde_options` once the roles are known).
    pub serde: crate::serde_attr::SerdeOpts,
    /// `#[paginate(...)]` markers, read by `crate::paginate`.
    pub paginate_attrs: Vec<&'a Attribute>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Role {
    /// Named by a placeholder (set by `valid`, which sees the template).
    Path,
    Query(attr::QueryAttr),
    Header {
        name: String,
        /// `sensitive` / `sensitive = false`; `None`: by the header's name.
        sensitive: Option<bool>,
    },
    Body(attr::BodyKind),
    Skip,
    /// Unannotated: a member of the JSON (or form) object body.
    BodyField,
    /// Its attribute was reported as malformed: no further checks, so no follow-on errors.
    Invalid,
}

impl Role {
    pub fn attr_name(&self) -> &'static str {
        match self {
            Role::Path => "path",
            Role::Query(_) => "#[query]",
            Role::Header { .. } => "#[header]",
            Role::Body(_) => "#[body]",
            Role::Skip => "#[skip]",
            Role::BodyField => "body field",
            Role::Invalid => "invalid",
        }
    }
}

impl<'a> Input<'a> {
    pub fn from_syn(cx: &Ctxt, input: &'a DeriveInput) -> Option<Input<'a>> {
        let fields = named_fields(cx, input, "#[endpoint]", "declare one struct per endpoint")?;
        let fields = fields
            .iter()
            .filter_map(|field| Field::from_syn(cx, field))
            .collect();
        Some(Input {
            original: input,
            fields,
            derives_serde: Self::derives_serde_attrs(&input.attrs),
        })
    }

    /// Whether `#[derive(...)]` among `attrs` names `Serialize` or `Deserialize`.
    pub fn derives_serde_attrs(attrs: &[Attribute]) -> bool {
        attrs
            .iter()
            .filter(|a| a.path().is_ident("derive"))
            .any(|a| {
                let mut found = false;
                let _ = a.parse_nested_meta(|meta| {
                    if let Some(last) = meta.path.segments.last() {
                        found |= last.ident == "Serialize" || last.ident == "Deserialize";
                    }
                    Ok(())
                });
                found
            })
    }
}

/// The struct as written, less the attributes this macro owns. `#[serde]` field attributes stay
/// only when the struct derives serde itself; otherwise nothing would claim them.
pub fn clean_struct(input: &DeriveInput, keep_serde: bool) -> DeriveInput {
    let mut input = input.clone();
    let fields = match &mut input.data {
        Data::Struct(data) => match &mut data.fields {
            Fields::Named(named) => named.named.iter_mut().collect::<Vec<_>>(),
            _ => Vec::new(),
        },
        _ => Vec::new(),
    };
    for field in fields {
        field.attrs.retain(|attr| {
            let helper = HELPERS.iter().any(|h| attr.path().is_ident(h));
            let serde = attr.path().is_ident("serde") && !keep_serde;
            !helper && !serde
        });
    }
    input
}

/// The fields of a struct with named fields. Any other item is refused here, for every macro of
/// this crate (`attr`, as the user writes it), with one message; `enum_hint` says what to do
/// instead of an enum.
pub fn named_fields<'a>(
    cx: &Ctxt,
    input: &'a DeriveInput,
    attr: &str,
    enum_hint: &str,
) -> Option<&'a Punctuated<syn::Field, Token![,]>> {
    let ident = &input.ident;
    let (span, found): (&dyn ToTokens, String) = match &input.data {
        Data::Struct(data) => match &data.fields {
            Fields::Named(named) => return Some(&named.named),
            Fields::Unnamed(_) => (
                ident,
                format!("a tuple struct; name the fields, as in `struct {ident} {{ id: String }}`"),
            ),
            Fields::Unit => (
                ident,
                format!("a unit struct; write `struct {ident} {{}}` for one without fields"),
            ),
        },
        Data::Enum(data) => (&data.enum_token, format!("an enum; {enum_hint}")),
        Data::Union(data) => (&data.union_token, "a union".to_owned()),
    };
    cx.error_spanned_by(
        span,
        format!("`{attr}` needs a struct with named fields, not {found}"),
    );
    None
}

impl<'a> Field<'a> {
    fn from_syn(cx: &Ctxt, field: &'a syn::Field) -> Option<Field<'a>> {
        let ident = field.ident.as_ref()?;
        let mut out = Field {
            ident,
            name: ident.unraw().to_string(),
            ty: &field.ty,
            role: Role::BodyField,
            role_attr: None,
            serde_attrs: Vec::new(),
            validate_attrs: Vec::new(),
            serde: Default::default(),
            paginate_attrs: Vec::new(),
        };
        for attr in &field.attrs {
            let Some(name) = attr.path().get_ident().map(Ident::to_string) else {
                continue;
            };
            let role = match name.as_str() {
                "serde" => {
                    out.serde_attrs.push(attr);
                    continue;
                }
                "validate" => {
                    out.validate_attrs.push(attr);
                    continue;
                }
                "paginate" => {
                    out.paginate_attrs.push(attr);
                    continue;
                }
                "query" => attr::parse_query(cx, attr, &out.name).map(Role::Query),
                "header" => attr::parse_header(cx, attr).map(|h| Role::Header {
                    name: h.name,
                    sensitive: h.sensitive,
                }),
                "body" => attr::parse_body(cx, attr).map(Role::Body),
                "skip" => attr::no_args(cx, attr, "skip").then_some(Role::Skip),
                _ => continue,
            };
            let role = role.unwrap_or(Role::Invalid);
            if let Some(first) = out.role_attr {
                cx.error_spanned_by(
                    attr,
                    format!(
                        "`{}` already has `{}`; a field has one role",
                        out.name,
                        first
                            .path()
                            .get_ident()
                            .map_or_else(String::new, |i| format!("#[{i}]"))
                    ),
                );
            } else {
                out.role = role;
                out.role_attr = Some(attr);
            }
        }
        Some(out)
    }
}

/// `T` when `ty` is written `Option<T>` (also `std::option::Option<T>`).
pub fn option_inner(ty: &Type) -> Option<&Type> {
    wrapped(ty, "Option")
}

/// How an optional field holds its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Optional {
    /// `Option<T>`: `None` or a value.
    Option,
    /// `restruct::Nullable<T>`: unset, null, or a value.
    Nullable,
}

/// The inner type of a field written `Option<T>` or `Nullable<T>`, and which of the two it is.
pub fn optional_inner(ty: &Type) -> Option<(Optional, &Type)> {
    option_inner(ty)
        .map(|inner| (Optional::Option, inner))
        .or_else(|| wrapped(ty, "Nullable").map(|inner| (Optional::Nullable, inner)))
}

/// `T` when `ty` is written `Name<T>`, whatever the path before `Name`.
fn wrapped<'t>(ty: &'t Type, name: &str) -> Option<&'t Type> {
    match ty {
        Type::Group(group) => wrapped(&group.elem, name),
        Type::Paren(paren) => wrapped(&paren.elem, name),
        Type::Path(path) if path.qself.is_none() => {
            let last = path.path.segments.last()?;
            if last.ident != name {
                return None;
            }
            match &last.arguments {
                syn::PathArguments::AngleBracketed(args) if args.args.len() == 1 => {
                    match &args.args[0] {
                        syn::GenericArgument::Type(inner) => Some(inner),
                        _ => None,
                    }
                }
                _ => None,
            }
        }
        _ => None,
    }
}

/// Whether `ty` is `()`.
pub fn is_unit(ty: &Type) -> bool {
    matches!(ty, Type::Tuple(t) if t.elems.is_empty())
}
