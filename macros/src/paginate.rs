//! Declared pagination: the `paginate` option, the `#[paginate(...)]` field markers, their
//! checks, and the generated `Paginated` impl.
//!
//! ```text
//! paginate = offset | page | cursor | link
//! paginate(STYLE, items = a.b, item = Type, total = a.b, has_more = a.b, next = a.b,
//!          next_from_last = member, first_page = 0)
//! #[paginate(offset)] #[paginate(limit)] #[paginate(page)] #[paginate(cursor)]
//! ```

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned, ToTokens};
use syn::ext::IdentExt as _;
use syn::parse::ParseStream;
use syn::spanned::Spanned as _;
use syn::{Ident, LitInt, Token, Type};

use crate::ast::{option_inner, Field, Input, Role};
use crate::ctxt::Ctxt;
use crate::suggest;
use crate::template::Part;

const STYLES: [&str; 4] = ["offset", "page", "cursor", "link"];
const KEYS: [&str; 7] = [
    "items",
    "item",
    "total",
    "has_more",
    "next",
    "next_from_last",
    "first_page",
];
const MARKERS: [&str; 4] = ["offset", "limit", "page", "cursor"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Offset,
    Page,
    Cursor,
    Link,
}

impl Style {
    fn name(self) -> &'static str {
        match self {
            Style::Offset => "offset",
            Style::Page => "page",
            Style::Cursor => "cursor",
            Style::Link => "link",
        }
    }
}

/// A member path into the response: `data`, `response_metadata.next_cursor`.
#[derive(Clone)]
pub struct Member(Vec<Ident>);

impl ToTokens for Member {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        for (i, ident) in self.0.iter().enumerate() {
            if i > 0 {
                <Token![.]>::default().to_tokens(tokens);
            }
            ident.to_tokens(tokens);
        }
    }
}

/// The `paginate` option as written.
pub struct Declared {
    /// The `paginate` key, for errors about the option as a whole.
    pub key: Ident,
    /// The style as written; `None` when it was reported as unknown.
    pub style: Option<(Style, Ident)>,
    pub items: Option<(Ident, Member)>,
    pub item: Option<Type>,
    pub total: Option<(Ident, Member)>,
    pub has_more: Option<(Ident, Member)>,
    pub next: Option<(Ident, Member)>,
    pub next_from_last: Option<(Ident, Member)>,
    pub first_page: Option<(Ident, LitInt)>,
}

/// Reads `= style` or `(style, key = value, ...)` after the `paginate` key.
pub fn parse_option(cx: &Ctxt, input: ParseStream, key: &Ident) -> syn::Result<Declared> {
    let mut declared = Declared {
        key: key.clone(),
        style: None,
        items: None,
        item: None,
        total: None,
        has_more: None,
        next: None,
        next_from_last: None,
        first_page: None,
    };
    if input.peek(Token![=]) {
        input.parse::<Token![=]>()?;
        declared.style = parse_style(cx, input)?;
        return Ok(declared);
    }
    if !input.peek(syn::token::Paren) {
        return Err(syn::Error::new(
            key.span(),
            "expected `paginate = offset`, `page`, `cursor` or `link`, or `paginate(cursor, next = next_cursor, ...)`",
        ));
    }
    let content;
    syn::parenthesized!(content in input);
    declared.style = parse_style(cx, &content)?;
    while !content.is_empty() {
        content.parse::<Token![,]>()?;
        if content.is_empty() {
            break;
        }
        let name = Ident::parse_any(&content)?;
        let text = name.to_string();
        if !content.peek(Token![=]) {
            return Err(syn::Error::new(
                name.span(),
                format!("expected `{name} = ...`"),
            ));
        }
        content.parse::<Token![=]>()?;
        let duplicate = |set: bool| {
            if set {
                cx.error_spanned_by(&name, format!("duplicate `{name}`"));
            }
        };
        match text.as_str() {
            "item" => {
                let ty: Type = content.parse()?;
                duplicate(declared.item.is_some());
                declared.item = Some(ty);
            }
            "first_page" => {
                let lit: LitInt = content.parse()?;
                if lit.base10_parse::<u64>().is_err() {
                    cx.error_spanned_by(&lit, "expected a page number such as `0` or `1`");
                }
                duplicate(declared.first_page.is_some());
                declared.first_page = Some((name, lit));
            }
            "items" | "total" | "has_more" | "next" | "next_from_last" => {
                let member = parse_member(&content)?;
                let slot = match text.as_str() {
                    "items" => &mut declared.items,
                    "total" => &mut declared.total,
                    "has_more" => &mut declared.has_more,
                    "next" => &mut declared.next,
                    _ => &mut declared.next_from_last,
                };
                duplicate(slot.is_some());
                *slot = Some((name, member));
            }
            _ => {
                let hint = suggest::hint(&text, KEYS);
                cx.error_spanned_by(
                    &name,
                    format!("unknown `paginate` option `{text}`; expected `items`, `item`, `total`, `has_more`, `next`, `next_from_last` or `first_page`{hint}"),
                );
                while !content.is_empty() && !content.peek(Token![,]) {
                    content.parse::<proc_macro2::TokenTree>()?;
                }
            }
        }
    }
    Ok(declared)
}

fn parse_style(cx: &Ctxt, input: ParseStream) -> syn::Result<Option<(Style, Ident)>> {
    let ident = Ident::parse_any(input)?;
    let style = match ident.to_string().as_str() {
        "offset" => Style::Offset,
        "page" => Style::Page,
        "cursor" => Style::Cursor,
        "link" => Style::Link,
        other => {
            let hint = suggest::hint(other, STYLES);
            cx.error_spanned_by(
                &ident,
                format!("unknown pagination style `{other}`; expected `offset` (offset and limit), `page` (page number), `cursor` (a cursor from each page) or `link` (the `Link: <..>; rel=\"next\"` header){hint}"),
            );
            return Ok(None);
        }
    };
    Ok(Some((style, ident)))
}

fn parse_member(input: ParseStream) -> syn::Result<Member> {
    let mut idents = vec![Ident::parse_any(input)?];
    while input.peek(Token![.]) {
        input.parse::<Token![.]>()?;
        idents.push(Ident::parse_any(input)?);
    }
    Ok(Member(idents))
}

/// The fields the paginator writes.
#[derive(Default)]
pub struct Marked {
    offset: Option<usize>,
    limit: Option<usize>,
    page: Option<usize>,
    cursor: Option<usize>,
    /// Each marker as written, for errors.
    written: Vec<Ident>,
}

/// What the expansion needs: the checked declaration and its fields (indices into `fields`).
pub struct Plan<'d> {
    declared: &'d Declared,
    style: Style,
    marked: Marked,
}

/// Reads the `#[paginate(...)]` markers, makes a marked field without a role a query
/// parameter, and checks the declaration against the method and the fields. Runs before the
/// other field checks, so that a marked field is not judged as a body field.
pub fn prepare<'d>(
    cx: &Ctxt,
    declared: Option<&'d Declared>,
    method: &Ident,
    parts: &[Part],
    input: &mut Input,
) -> Option<Plan<'d>> {
    let mut marked = Marked::default();
    let mut any_marker = None;
    let mut bad_marker = false;
    for (index, field) in input.fields.iter_mut().enumerate() {
        for attr in std::mem::take(&mut field.paginate_attrs) {
            any_marker.get_or_insert(attr);
            let Some(marker) = parse_marker(cx, attr) else {
                // Reported: the field is neither judged as a body field nor missed as a marker.
                bad_marker = true;
                if field.role == Role::BodyField {
                    field.role = Role::Invalid;
                }
                continue;
            };
            let slot = match marker.to_string().as_str() {
                "offset" => &mut marked.offset,
                "limit" => &mut marked.limit,
                "page" => &mut marked.page,
                _ => &mut marked.cursor,
            };
            if slot.is_some() {
                cx.error_spanned_by(
                    attr,
                    format!("another field is already `#[paginate({marker})]`; mark one field"),
                );
                continue;
            }
            *slot = Some(index);
            marked.written.push(marker.clone());
            let placeholder = parts
                .iter()
                .any(|p| matches!(p, Part::Param(name) if *name == field.name));
            match &field.role {
                Role::BodyField if !placeholder => {
                    field.role = Role::Query(crate::attr::QueryAttr {
                        wire: None,
                        style: crate::attr::Style::Form,
                    });
                }
                Role::Query(_) | Role::Header { .. } | Role::Invalid => {}
                role => {
                    let role = if placeholder {
                        "a path parameter".to_owned()
                    } else {
                        format!("`{}`", role.attr_name())
                    };
                    cx.error_spanned_by(
                        attr,
                        format!("`{}` is {role}, so what the paginator writes into it (`#[paginate({marker})]`) would not reach the request; make it a query parameter or a `#[header(\"...\")]`", field.name),
                    );
                }
            }
        }
    }

    let Some(declared) = declared else {
        if let Some(attr) = any_marker {
            cx.error_spanned_by(
                attr,
                "`#[paginate(...)]` marks a field of a paginated endpoint; add `paginate = offset` (or `page`, `cursor`, `link`) to `#[endpoint(...)]`",
            );
        }
        return None;
    };
    if method != "GET" {
        cx.error_spanned_by(
            &declared.key,
            format!(
                "`paginate` is for `GET` listings; this endpoint is `{}`",
                method
            ),
        );
    }
    let (style, style_ident) = declared.style.as_ref()?;
    let style = *style;
    let fields = &input.fields;
    let require = |slot: Option<usize>, marker: &str, why: &str| {
        if slot.is_none() && !bad_marker {
            cx.error_spanned_by(
                style_ident,
                format!("`paginate = {}` needs a field marked `#[paginate({marker})]` ({why}), as in `#[paginate({marker})] pub {marker}: Option<{}>`", style.name(), if marker == "cursor" { "String" } else { "u64" }),
            );
        }
    };
    let misplaced = |slot: Option<usize>, marker: &str| {
        if slot.is_some() {
            let written = marked.written.iter().find(|m| *m == marker);
            cx.error_spanned_by(
                written,
                format!(
                    "`#[paginate({marker})]` has no use in a listing that pages by {}; remove it",
                    style.name()
                ),
            );
        }
    };
    match style {
        Style::Offset => {
            require(marked.offset, "offset", "where the page starts");
            require(marked.limit, "limit", "the page size");
            misplaced(marked.page, "page");
            misplaced(marked.cursor, "cursor");
        }
        Style::Page => {
            require(marked.page, "page", "the page number");
            require(marked.limit, "limit", "the page size");
            misplaced(marked.offset, "offset");
            misplaced(marked.cursor, "cursor");
        }
        Style::Cursor => {
            require(marked.cursor, "cursor", "where the page starts");
            misplaced(marked.offset, "offset");
            misplaced(marked.page, "page");
        }
        Style::Link => {
            misplaced(marked.offset, "offset");
            misplaced(marked.page, "page");
            misplaced(marked.cursor, "cursor");
        }
    }
    if let Some(index) = marked.cursor {
        let field = &fields[index];
        if option_inner(field.ty).is_none() {
            cx.error_spanned_by(
                field.ty,
                format!("the cursor field `{}` must be an `Option`, as in `Option<String>`: the first request has no cursor", field.name),
            );
        }
    }
    let unused = |option: Option<&Ident>, styles: &[Style]| {
        if let Some(name) = option {
            if !styles.contains(&style) {
                cx.error_spanned_by(
                    name,
                    format!(
                        "`{name}` has no use in a listing that pages by {}",
                        style.name()
                    ),
                );
            }
        }
    };
    unused(
        declared.next.as_ref().map(|n| &n.0),
        &[Style::Cursor, Style::Link],
    );
    unused(
        declared.next_from_last.as_ref().map(|n| &n.0),
        &[Style::Cursor],
    );
    unused(declared.first_page.as_ref().map(|n| &n.0), &[Style::Page]);
    if style == Style::Cursor {
        match (&declared.next, &declared.next_from_last) {
            (None, None) => cx.error_spanned_by(
                style_ident,
                "`paginate(cursor, ...)` needs where the next cursor is: `next = next_cursor` (a member of the response) or `next_from_last = id` (a member of the last item)",
            ),
            (Some(_), Some((name, _))) => cx.error_spanned_by(
                name,
                "give either `next` or `next_from_last`, not both",
            ),
            _ => {}
        }
    }
    if let (Some((name, _)), None) = (&declared.items, &declared.item) {
        cx.error_spanned_by(
            name,
            format!("`{name}` names the member that holds the items; name their type too, as in `item = User`"),
        );
    }
    Some(Plan {
        declared,
        style,
        marked,
    })
}

fn parse_marker(cx: &Ctxt, attr: &syn::Attribute) -> Option<Ident> {
    let marker = attr.parse_args_with(Ident::parse_any).ok();
    let Some(marker) = marker else {
        cx.error_spanned_by(
            attr,
            "expected `#[paginate(offset)]`, `#[paginate(limit)]`, `#[paginate(page)]` or `#[paginate(cursor)]`",
        );
        return None;
    };
    let name = marker.to_string();
    if MARKERS.contains(&name.as_str()) {
        return Some(marker);
    }
    let hint = suggest::hint(&name, MARKERS);
    cx.error_spanned_by(
        &marker,
        format!("unknown pagination field `{name}`; expected `offset`, `limit` (the page size), `page` (the page number) or `cursor`{hint}"),
    );
    None
}

/// The `Paginated` impl.
pub fn expand(
    plan: &Plan,
    response: Option<&Type>,
    input: &Input,
    private: &TokenStream,
) -> TokenStream {
    let original = input.original;
    let ident = &original.ident;
    let (impl_generics, ty_generics, where_clause) = original.generics.split_for_impl();
    let declared = plan.declared;
    let support = quote!(#private::paginate);
    let field = |index: Option<usize>| index.map(|i| &input.fields[i]);

    let item = item_type(declared, response, private);
    let style = match plan.style {
        Style::Offset => quote!(Offset),
        Style::Page => {
            let first = declared
                .first_page
                .as_ref()
                .map_or_else(|| quote!(1), |(_, lit)| quote!(#lit));
            quote!(Page { first: #first })
        }
        Style::Cursor => quote!(Cursor),
        Style::Link => quote!(Link),
    };

    let number = |f: Option<&Field>, value: TokenStream| {
        f.map(|f| {
            let member = f.ident;
            let (span, support) = at_field(f, &support);
            quote_spanned!(span=> #support::set_number(&mut self.#member, #value);)
        })
    };
    let offset = number(field(plan.marked.offset), quote!(__page.offset()));
    let page = number(field(plan.marked.page), quote!(__page.number()));
    let limit = number(field(plan.marked.limit), quote!(__size)).map(|set| {
        quote! {
            if let ::core::option::Option::Some(__size) = __page.size() {
                #set
            }
        }
    });
    let cursor = field(plan.marked.cursor).map(|f| {
        let member = f.ident;
        let (span, support) = at_field(f, &support);
        let set = quote_spanned!(span=> #support::set_cursor(&mut self.#member, __cursor););
        quote! {
            if let ::core::option::Option::Some(__cursor) = __page.cursor() {
                #set
            }
        }
    });

    let read = |option: &Option<(Ident, Member)>, helper: &str| {
        option.as_ref().map(|(_, member)| {
            let helper = Ident::new(helper, Span::call_site());
            let span = member.0.first().map_or_else(Span::call_site, Ident::span);
            quote_spanned!(span=> #support::#helper(&__body.#member))
        })
    };
    let none = quote!(::core::option::Option::None);
    let total = read(&declared.total, "total").unwrap_or_else(|| none.clone());
    let has_more = read(&declared.has_more, "has_more").unwrap_or_else(|| none.clone());
    let items = match &declared.items {
        Some((_, member)) => quote!(#support::items(__body.#member)),
        None => quote!(#support::items(__body)),
    };
    // The next cursor or link: a member of the response, a member of the last item, or (link
    // style) the `Link` header.
    let (next, next_from_last, set_next) = match plan.style {
        Style::Cursor | Style::Link => {
            let from_last = declared.next_from_last.as_ref().map(|(_, member)| {
                let span = member.0.first().map_or_else(Span::call_site, Ident::span);
                let read = quote_spanned!(span=> #support::next(&__last.#member));
                quote!(let __next = __items.last().and_then(|__last| #read);)
            });
            let next = match read(&declared.next, "next") {
                Some(read) => Some(quote!(let __next = #read;)),
                None if from_last.is_some() => None,
                None => Some(quote!(let __next = #private::next_link(&__response.headers);)),
            };
            let set = if plan.style == Style::Cursor {
                quote!(.with_next_cursor(__next))
            } else {
                quote!(.with_next_link(__next))
            };
            (next, from_last, set)
        }
        Style::Offset | Style::Page => (None, None, quote!()),
    };

    quote! {
        #[automatically_derived]
        impl #impl_generics #private::Paginated for #ident #ty_generics #where_clause {
            type Item = #item;
            const STYLE: #private::PageStyle = #private::PageStyle::#style;

            fn set_page(&mut self, __page: &#private::PageRequest<'_>) {
                #offset
                #page
                #limit
                #cursor
            }

            fn into_page(
                __response: #private::Response<<Self as #private::Endpoint>::Response>,
            ) -> #private::Page<Self::Item> {
                let __body = __response.body;
                #next
                let __total = #total;
                let __has_more = #has_more;
                let __items: ::std::vec::Vec<Self::Item> = #items;
                #next_from_last
                #private::Page::new(__items)
                    .with_total(__total)
                    .with_has_more(__has_more)
                    #set_next
            }
        }
    }
}

/// A span at the field's name (resolved where the macro was called) and the runtime path
/// re-spanned to it, so that a field type the paginator cannot write lands on the field alone.
fn at_field(field: &Field, support: &TokenStream) -> (Span, TokenStream) {
    let span = Span::call_site().located_at(field.ident.span());
    let support = support
        .clone()
        .into_iter()
        .map(|mut token| {
            token.set_span(span);
            token
        })
        .collect();
    (span, support)
}

/// The item type: as given, or the element of the response when the response is the list.
fn item_type(declared: &Declared, response: Option<&Type>, private: &TokenStream) -> TokenStream {
    match (&declared.item, &declared.items) {
        (Some(item), _) => item.to_token_stream(),
        (None, None) => {
            let unit = syn::parse_quote!(());
            let response = response.unwrap_or(&unit);
            quote_spanned!(response.span()=> <#response as ::core::iter::IntoIterator>::Item)
        }
        (None, Some(_)) => quote!(#private::serde_json::Value),
    }
}

/// The `Paginated` impl of the fallback (the input had errors): its bodies never run, and it
/// keeps `client.paginate(req)` in the rest of the crate from adding errors of its own.
pub fn fallback(
    input: &syn::DeriveInput,
    declared: Option<&Declared>,
    response: Option<&Type>,
    private: &TokenStream,
) -> TokenStream {
    let Some(declared) = declared else {
        return TokenStream::new();
    };
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let item = item_type(declared, response, private);
    quote! {
        #[automatically_derived]
        impl #impl_generics #private::Paginated for #ident #ty_generics #where_clause {
            type Item = #item;
            const STYLE: #private::PageStyle = #private::PageStyle::Offset;

            fn set_page(&mut self, _: &#private::PageRequest<'_>) {
                ::core::unreachable!()
            }

            fn into_page(
                _: #private::Response<<Self as #private::Endpoint>::Response>,
            ) -> #private::Page<Self::Item> {
                ::core::unreachable!()
            }
        }
    }
}
