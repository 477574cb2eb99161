::restruct::__private::if_builder! {
    { #[derive(::restruct::__private::bon::Builder)] #[builder(crate =
    ::restruct::__private::bon, on(String, into))] pub struct ListMembers { pub org_id :
    String, pub offset : Option < u64 >, pub limit : Option < u64 >, }
    #[allow(unused_qualifications, clippy::absolute_paths,
    clippy::used_underscore_binding, clippy::future_not_send,)] #[automatically_derived]
    impl < __S : list_members_builder::State > ListMembersBuilder < __S > { #[doc =
    r" Builds the request and sends it: like `build()` followed by `send(&client)`."] pub
    async fn send(self, client : & ::restruct::__private::Client,) ->
    ::core::result::Result < Members, ::restruct::__private::Error <
    ::restruct::__private::serde_json::Value >> where __S :
    list_members_builder::IsComplete, { self.build().send(client). await } } } else { pub
    struct ListMembers { pub org_id : String, pub offset : Option < u64 >, pub limit :
    Option < u64 >, } }
}
#[doc(hidden)]
#[allow(
    non_upper_case_globals,
    unused_attributes,
    unused_qualifications,
    clippy::absolute_paths,
    clippy::used_underscore_binding,
    clippy::future_not_send,
    clippy::trait_duplication_in_bounds,
)]
const _: () = {
    #[doc(hidden)]
    static __RESTRUCT_META: ::restruct::__private::meta::EndpointMeta = ::restruct::__private::meta::EndpointMeta::new(
            "ListMembers",
            "GET",
            "/orgs/<org_id>/members",
        )
        .params(
            &[
                ::restruct::__private::meta::ParamMeta::new(
                    "org_id",
                    "org_id",
                    ::restruct::__private::meta::ParamLocation::Path,
                    true,
                    ::restruct::__private::meta::ParamStyle::Single,
                ),
                ::restruct::__private::meta::ParamMeta::new(
                    "offset",
                    "offset",
                    ::restruct::__private::meta::ParamLocation::Query,
                    false,
                    ::restruct::__private::meta::ParamStyle::Single,
                ),
                ::restruct::__private::meta::ParamMeta::new(
                    "limit",
                    "limit",
                    ::restruct::__private::meta::ParamLocation::Query,
                    false,
                    ::restruct::__private::meta::ParamStyle::Single,
                ),
            ],
        )
        .static_headers(&[])
        .body(::restruct::__private::meta::BodyMeta::NONE)
        .types("Members", "serde_json::Value")
        .schemas(
            ::restruct::__private::if_schema! {
                { fn __restruct_schemas() -> ::restruct::__private::meta::EndpointSchemas
                { #[allow(unused_imports)] use ::restruct::__private::schema::NoSchema as
                _; let mut __res = ::restruct::__private::schema::response_generator();
                let mut __req = ::restruct::__private::schema::request_generator(); let
                __response = ::restruct::__private::schema::Probe:: < Members > ::new()
                .schema(& mut __res); let __error =
                ::restruct::__private::schema::Probe:: <
                ::restruct::__private::serde_json::Value > ::new().schema(& mut __res);
                let __body = ::core::option::Option::None; let __fields =
                ::std::vec![("org_id", ::restruct::__private::schema::Probe:: < String >
                ::new().schema(& mut __req)), ("offset",
                ::restruct::__private::schema::Probe:: < Option < u64 > > ::new()
                .schema(& mut __req)), ("limit", ::restruct::__private::schema::Probe:: <
                Option < u64 > > ::new().schema(& mut __req))];
                ::restruct::__private::schema::finish(__res, __req, __response, __error,
                __body, __fields) } __restruct_schemas as fn () ->
                ::restruct::__private::meta::EndpointSchemas }
            },
        );
    #[automatically_derived]
    impl ::restruct::__private::Endpoint for ListMembers {
        type Response = Members;
        type Error = ::restruct::__private::serde_json::Value;
        const METHOD: ::restruct::__private::Method = ::restruct::__private::Method::GET;
        const PATH: &'static str = "/orgs/<org_id>/members";
        const META: ::core::option::Option<
            &'static ::restruct::__private::meta::EndpointMeta,
        > = ::core::option::Option::Some(&__RESTRUCT_META);
        fn write_request(&self, __req: &mut ::restruct::__private::RequestWriter<'_>) {
            __req.path_literal("/orgs/");
            __req.path_param("org_id", &self.org_id);
            __req.path_literal("/members");
            {
                #[allow(unused_imports)]
                use ::restruct::__private::{QueryAnyProbe as _, QueryMapProbe as _};
                ::restruct::__private::query_flat(
                    (&::restruct::__private::QueryProbe::<Option<u64>>::new())
                        .query_probe(),
                );
            }
            __req
                .query_styled(
                    "offset",
                    "offset",
                    &self.offset,
                    ::restruct::__private::QueryStyle::Form,
                );
            {
                #[allow(unused_imports)]
                use ::restruct::__private::{QueryAnyProbe as _, QueryMapProbe as _};
                ::restruct::__private::query_flat(
                    (&::restruct::__private::QueryProbe::<Option<u64>>::new())
                        .query_probe(),
                );
            }
            __req
                .query_styled(
                    "limit",
                    "limit",
                    &self.limit,
                    ::restruct::__private::QueryStyle::Form,
                );
        }
    }
    #[automatically_derived]
    impl ListMembers {
        ///Validates this request, sends it as `GET /orgs/<org_id>/members` with `client`, and decodes the response. For options, the status and headers, use `client.call(&request)`.
        pub async fn send(
            &self,
            client: &::restruct::__private::Client,
        ) -> ::core::result::Result<
            Members,
            ::restruct::__private::Error<::restruct::__private::serde_json::Value>,
        > {
            client.send(self).await
        }
        ::restruct::__private::if_blocking! {
            #[doc = r" Like `send`, from synchronous code (feature `blocking`)."] pub fn
            send_blocking(& self, client : & ::restruct::__private::BlockingClient,) ->
            ::core::result::Result < Members, ::restruct::__private::Error <
            ::restruct::__private::serde_json::Value >> { client.send(self) }
        }
        /// Every violation this request would be refused for, without sending it.
        pub fn validate(
            &self,
        ) -> ::core::result::Result<(), ::restruct::__private::ValidationErrors> {
            <Self as ::restruct::__private::Endpoint>::validate(self)
        }
    }
    #[automatically_derived]
    impl ::restruct::__private::Paginated for ListMembers {
        type Item = Member;
        const STYLE: ::restruct::__private::PageStyle = ::restruct::__private::PageStyle::Offset;
        fn set_page(&mut self, __page: &::restruct::__private::PageRequest<'_>) {
            ::restruct::__private::paginate::set_number(
                &mut self.offset,
                __page.offset(),
            );
            if let ::core::option::Option::Some(__size) = __page.size() {
                ::restruct::__private::paginate::set_number(&mut self.limit, __size);
            }
        }
        fn into_page(
            __response: ::restruct::__private::Response<
                <Self as ::restruct::__private::Endpoint>::Response,
            >,
        ) -> ::restruct::__private::Page<Self::Item> {
            let __body = __response.body;
            let __total = ::restruct::__private::paginate::total(&__body.total_count);
            let __has_more = ::core::option::Option::None;
            let __items: ::std::vec::Vec<Self::Item> = ::restruct::__private::paginate::items(
                __body.data,
            );
            ::restruct::__private::Page::new(__items)
                .with_total(__total)
                .with_has_more(__has_more)
        }
    }
};
