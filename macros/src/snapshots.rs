//! Snapshots of the expansion of a few representative endpoints, printed as code in
//! `tests/snapshots/`: a change to what the macro generates shows there, to be reviewed.
//! `UPDATE_EXPECT=1 cargo test -p restruct-macros` rewrites them.

use expect_test::{expect_file, ExpectFile};
use proc_macro2::TokenStream;
use quote::quote;

/// `#[endpoint(args)] item`, expanded and printed.
fn check(args: TokenStream, item: TokenStream, expected: ExpectFile) {
    let expanded = crate::expand::endpoint(args, item);
    let file: syn::File = match syn::parse2(expanded.clone()) {
        Ok(file) => file,
        Err(e) => panic!("the expansion does not parse as items: {e}\n{expanded}"),
    };
    expected.assert_eq(&prettyplease::unparse(&file));
}

#[test]
fn post_with_path_and_json_body() {
    check(
        quote!(
            POST,
            "/users/<user_id>/tokens",
            response = Token,
            error = ApiError
        ),
        quote! {
            #[derive(Debug)]
            pub struct CreateToken {
                pub user_id: String,
                #[validate(length(min = 1, max = 64))]
                pub template: String,
                #[serde(skip_serializing_if = "Option::is_none")]
                pub expires_in_seconds: Option<u64>,
                pub metadata: restruct::Nullable<String>,
                #[skip]
                pub note: u8,
            }
        },
        expect_file!["../tests/snapshots/post_with_path_and_json_body.rs"],
    );
}

#[test]
fn get_with_query_fields() {
    check(
        quote!(GET, "/users", response = Vec<User>),
        quote! {
            pub struct ListUsers {
                #[query]
                pub limit: Option<u32>,
                #[query("order_by")]
                pub order: Option<String>,
                #[query(style = spaceDelimited)]
                pub user_id: Vec<String>,
                #[query]
                #[serde(skip_serializing_if = "std::ops::Not::not")]
                pub archived: bool,
            }
        },
        expect_file!["../tests/snapshots/get_with_query_fields.rs"],
    );
}

#[test]
fn paginated_listing() {
    check(
        quote!(
            GET,
            "/orgs/<org_id>/members",
            response = Members,
            paginate(offset, items = data, item = Member, total = total_count)
        ),
        quote! {
            pub struct ListMembers {
                pub org_id: String,
                #[paginate(offset)]
                pub offset: Option<u64>,
                #[paginate(limit)]
                pub limit: Option<u64>,
            }
        },
        expect_file!["../tests/snapshots/paginated_listing.rs"],
    );
}

#[test]
fn multipart_with_headers() {
    check(
        quote!(
            POST,
            "/files",
            response = File,
            multipart,
            headers("X-Api-Version: 2")
        ),
        quote! {
            pub struct Upload {
                #[header("X-Signature", sensitive)]
                pub signature: String,
                #[header("X-Trace")]
                pub trace: Option<String>,
                pub purpose: String,
                #[serde(rename = "file")]
                pub data: Vec<u8>,
            }
        },
        expect_file!["../tests/snapshots/multipart_with_headers.rs"],
    );
}

/// The fallback: the errors, then the struct and impls whose bodies never run.
#[test]
fn fallback_after_an_error() {
    check(
        quote!(GET, "/users/<id>", response = User),
        quote! {
            pub struct GetUser {
                pub id: String,
                pub name: String,
            }
        },
        expect_file!["../tests/snapshots/fallback_after_an_error.rs"],
    );
}
