::restruct::__private::if_builder! {
    { #[derive(::restruct::__private::bon::Builder)] #[builder(crate =
    ::restruct::__private::bon, on(String, into))] pub struct ListUsers { pub limit :
    Option < u32 >, pub order : Option < String >, pub user_id : Vec < String >, pub
    archived : bool, } #[allow(unused_qualifications, clippy::absolute_paths,
    clippy::used_underscore_binding, clippy::future_not_send,)] #[automatically_derived]
    impl < __S : list_users_builder::State > ListUsersBuilder < __S > { #[doc =
    r" Builds the request and sends it: like `build()` followed by `send(&client)`."] pub
    async fn send(self, client : & ::restruct::__private::Client,) ->
    ::core::result::Result < Vec < User >, ::restruct::__private::Error <
    ::restruct::__private::serde_json::Value >> where __S :
    list_users_builder::IsComplete, { self.build().send(client). await } } } else { pub
    struct ListUsers { pub limit : Option < u32 >, pub order : Option < String >, pub
    user_id : Vec < String >, pub archived : bool, } }
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
            "ListUsers",
            "GET",
            "/users",
        )
        .params(
            &[
                ::restruct::__private::meta::ParamMeta::new(
                    "limit",
                    "limit",
                    ::restruct::__private::meta::ParamLocation::Query,
                    false,
                    ::restruct::__private::meta::ParamStyle::Single,
                ),
                ::restruct::__private::meta::ParamMeta::new(
                    "order",
                    "order_by",
                    ::restruct::__private::meta::ParamLocation::Query,
                    false,
                    ::restruct::__private::meta::ParamStyle::Single,
                ),
                ::restruct::__private::meta::ParamMeta::new(
                    "user_id",
                    "user_id",
                    ::restruct::__private::meta::ParamLocation::Query,
                    false,
                    ::restruct::__private::meta::ParamStyle::SpaceDelimited,
                ),
                ::restruct::__private::meta::ParamMeta::new(
                    "archived",
                    "archived",
                    ::restruct::__private::meta::ParamLocation::Query,
                    true,
                    ::restruct::__private::meta::ParamStyle::Single,
                ),
            ],
        )
        .static_headers(&[])
        .body(::restruct::__private::meta::BodyMeta::NONE)
        .types("Vec<User>", "serde_json::Value")
        .schemas(
            ::restruct::__private::if_schema! {
                { fn __restruct_schemas() -> ::restruct::__private::meta::EndpointSchemas
                { #[allow(unused_imports)] use ::restruct::__private::schema::NoSchema as
                _; let mut __res = ::restruct::__private::schema::response_generator();
                let mut __req = ::restruct::__private::schema::request_generator(); let
                __response = ::restruct::__private::schema::Probe:: < Vec < User > >
                ::new().schema(& mut __res); let __error =
                ::restruct::__private::schema::Probe:: <
                ::restruct::__private::serde_json::Value > ::new().schema(& mut __res);
                let __body = ::core::option::Option::None; let __fields =
                ::std::vec![("limit", ::restruct::__private::schema::Probe:: < Option <
                u32 > > ::new().schema(& mut __req)), ("order",
                ::restruct::__private::schema::Probe:: < Option < String > > ::new()
                .schema(& mut __req)), ("user_id", ::restruct::__private::schema::Probe::
                < Vec < String > > ::new().schema(& mut __req)), ("archived",
                ::restruct::__private::schema::Probe:: < bool > ::new().schema(& mut
                __req))]; ::restruct::__private::schema::finish(__res, __req, __response,
                __error, __body, __fields) } __restruct_schemas as fn () ->
                ::restruct::__private::meta::EndpointSchemas }
            },
        );
    #[automatically_derived]
    impl ::restruct::__private::Endpoint for ListUsers {
        type Response = Vec<User>;
        type Error = ::restruct::__private::serde_json::Value;
        const METHOD: ::restruct::__private::Method = ::restruct::__private::Method::GET;
        const PATH: &'static str = "/users";
        const META: ::core::option::Option<
            &'static ::restruct::__private::meta::EndpointMeta,
        > = ::core::option::Option::Some(&__RESTRUCT_META);
        fn write_request(&self, __req: &mut ::restruct::__private::RequestWriter<'_>) {
            __req.path_literal("/users");
            {
                #[allow(unused_imports)]
                use ::restruct::__private::{QueryAnyProbe as _, QueryMapProbe as _};
                ::restruct::__private::query_flat(
                    (&::restruct::__private::QueryProbe::<Option<u32>>::new())
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
            {
                #[allow(unused_imports)]
                use ::restruct::__private::{QueryAnyProbe as _, QueryMapProbe as _};
                ::restruct::__private::query_flat(
                    (&::restruct::__private::QueryProbe::<Option<String>>::new())
                        .query_probe(),
                );
            }
            __req
                .query_styled(
                    "order",
                    "order_by",
                    &self.order,
                    ::restruct::__private::QueryStyle::Form,
                );
            {
                #[allow(unused_imports)]
                use ::restruct::__private::{QueryAnyProbe as _, QueryMapProbe as _};
                ::restruct::__private::query_flat(
                    (&::restruct::__private::QueryProbe::<Vec<String>>::new())
                        .query_probe(),
                );
            }
            __req
                .query_styled(
                    "user_id",
                    "user_id",
                    &self.user_id,
                    ::restruct::__private::QueryStyle::Space,
                );
            if !std::ops::Not::not(&self.archived) {
                {
                    #[allow(unused_imports)]
                    use ::restruct::__private::{QueryAnyProbe as _, QueryMapProbe as _};
                    ::restruct::__private::query_flat(
                        (&::restruct::__private::QueryProbe::<bool>::new()).query_probe(),
                    );
                }
                __req
                    .query_styled(
                        "archived",
                        "archived",
                        &self.archived,
                        ::restruct::__private::QueryStyle::Form,
                    );
            }
        }
    }
    #[automatically_derived]
    impl ListUsers {
        ///Validates this request, sends it as `GET /users` with `client`, and decodes the response. For options, the status and headers, use `client.call(&request)`.
        pub async fn send(
            &self,
            client: &::restruct::__private::Client,
        ) -> ::core::result::Result<
            Vec<User>,
            ::restruct::__private::Error<::restruct::__private::serde_json::Value>,
        > {
            client.send(self).await
        }
        ::restruct::__private::if_blocking! {
            #[doc = r" Like `send`, from synchronous code (feature `blocking`)."] pub fn
            send_blocking(& self, client : & ::restruct::__private::BlockingClient,) ->
            ::core::result::Result < Vec < User >, ::restruct::__private::Error <
            ::restruct::__private::serde_json::Value >> { client.send(self) }
        }
        /// Every violation this request would be refused for, without sending it.
        pub fn validate(
            &self,
        ) -> ::core::result::Result<(), ::restruct::__private::ValidationErrors> {
            <Self as ::restruct::__private::Endpoint>::validate(self)
        }
    }
};
