::restruct::__private::if_builder! {
    { #[derive(::restruct::__private::bon::Builder)] #[derive(Debug)] #[builder(crate =
    ::restruct::__private::bon, on(String, into))] pub struct CreateToken { pub user_id :
    String, pub template : String, pub expires_in_seconds : Option < u64 >, pub metadata
    : restruct::Nullable < String >, pub note : u8, } #[allow(unused_qualifications,
    clippy::absolute_paths, clippy::used_underscore_binding, clippy::future_not_send,)]
    #[automatically_derived] impl < __S : create_token_builder::State >
    CreateTokenBuilder < __S > { #[doc =
    r" Builds the request and sends it: like `build()` followed by `send(&client)`."] pub
    async fn send(self, client : & ::restruct::__private::Client,) ->
    ::core::result::Result < Token, ::restruct::__private::Error < ApiError >> where __S
    : create_token_builder::IsComplete, { self.build().send(client). await } } } else {
    #[derive(Debug)] pub struct CreateToken { pub user_id : String, pub template :
    String, pub expires_in_seconds : Option < u64 >, pub metadata : restruct::Nullable <
    String >, pub note : u8, } }
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
    #[derive(::restruct::__private::serde::Serialize)]
    #[serde(crate = ":: restruct :: __private::serde", remote = "CreateToken")]
    struct __RestructBody {
        template: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        expires_in_seconds: Option<u64>,
        #[serde(skip_serializing_if = ":: restruct :: __private::Nullable::is_unset")]
        metadata: restruct::Nullable<String>,
    }
    #[derive(::restruct::__private::serde::Serialize)]
    #[serde(crate = ":: restruct :: __private::serde", transparent)]
    struct __RestructBodyRef<'__restruct_ref>(
        #[serde(with = "__RestructBody")]
        &'__restruct_ref CreateToken,
    );
    #[doc(hidden)]
    static __RESTRUCT_META: ::restruct::__private::meta::EndpointMeta = ::restruct::__private::meta::EndpointMeta::new(
            "CreateToken",
            "POST",
            "/users/<user_id>/tokens",
        )
        .params(
            &[
                ::restruct::__private::meta::ParamMeta::new(
                    "user_id",
                    "user_id",
                    ::restruct::__private::meta::ParamLocation::Path,
                    true,
                    ::restruct::__private::meta::ParamStyle::Single,
                ),
            ],
        )
        .static_headers(&[])
        .body(
            ::restruct::__private::meta::BodyMeta::members(
                ::restruct::__private::meta::BodyKind::Json,
                &[
                    ::restruct::__private::meta::MemberMeta::new(
                        "template",
                        "template",
                        ::restruct::__private::meta::Presence::Always,
                    ),
                    ::restruct::__private::meta::MemberMeta::new(
                        "expires_in_seconds",
                        "expires_in_seconds",
                        ::restruct::__private::meta::Presence::Optional,
                    ),
                    ::restruct::__private::meta::MemberMeta::new(
                        "metadata",
                        "metadata",
                        ::restruct::__private::meta::Presence::OptionalOrNull,
                    ),
                ],
            ),
        )
        .types("Token", "ApiError")
        .schemas(
            ::restruct::__private::if_schema! {
                { fn __restruct_schemas() -> ::restruct::__private::meta::EndpointSchemas
                { #[allow(unused_imports)] use ::restruct::__private::schema::NoSchema as
                _; let mut __res = ::restruct::__private::schema::response_generator();
                let mut __req = ::restruct::__private::schema::request_generator(); let
                __response = ::restruct::__private::schema::Probe:: < Token > ::new()
                .schema(& mut __res); let __error =
                ::restruct::__private::schema::Probe:: < ApiError > ::new().schema(& mut
                __res); let __body = ::core::option::Option::None; let __fields =
                ::std::vec![("user_id", ::restruct::__private::schema::Probe:: < String >
                ::new().schema(& mut __req)), ("template",
                ::restruct::__private::schema::Probe:: < String > ::new().schema(& mut
                __req)), ("expires_in_seconds", ::restruct::__private::schema::Probe:: <
                Option < u64 > > ::new().schema(& mut __req)), ("metadata",
                ::restruct::__private::schema::Probe:: < restruct::Nullable < String > >
                ::new().schema(& mut __req))];
                ::restruct::__private::schema::finish(__res, __req, __response, __error,
                __body, __fields) } __restruct_schemas as fn () ->
                ::restruct::__private::meta::EndpointSchemas }
            },
        );
    #[automatically_derived]
    impl ::restruct::__private::Endpoint for CreateToken {
        type Response = Token;
        type Error = ApiError;
        const METHOD: ::restruct::__private::Method = ::restruct::__private::Method::POST;
        const PATH: &'static str = "/users/<user_id>/tokens";
        const META: ::core::option::Option<
            &'static ::restruct::__private::meta::EndpointMeta,
        > = ::core::option::Option::Some(&__RESTRUCT_META);
        fn write_request(&self, __req: &mut ::restruct::__private::RequestWriter<'_>) {
            __req.path_literal("/users/");
            __req.path_param("user_id", &self.user_id);
            __req.path_literal("/tokens");
            __req.json_body("body", &__RestructBodyRef(self));
        }
        fn validate_fields(
            &self,
            __errors: &mut ::restruct::__private::ValidationErrors,
        ) {
            {
                let __value = &self.template;
                let __field = ::restruct::__private::rules::Field::new("template");
                ::restruct::__private::rules::length(
                    __errors,
                    __field,
                    __value,
                    ::core::option::Option::Some(1),
                    ::core::option::Option::Some(64),
                );
            }
        }
    }
    #[automatically_derived]
    impl CreateToken {
        ///Validates this request, sends it as `POST /users/<user_id>/tokens` with `client`, and decodes the response. For options, the status and headers, use `client.call(&request)`.
        pub async fn send(
            &self,
            client: &::restruct::__private::Client,
        ) -> ::core::result::Result<Token, ::restruct::__private::Error<ApiError>> {
            client.send(self).await
        }
        ::restruct::__private::if_blocking! {
            #[doc = r" Like `send`, from synchronous code (feature `blocking`)."] pub fn
            send_blocking(& self, client : & ::restruct::__private::BlockingClient,) ->
            ::core::result::Result < Token, ::restruct::__private::Error < ApiError >> {
            client.send(self) }
        }
        /// Every violation this request would be refused for, without sending it.
        pub fn validate(
            &self,
        ) -> ::core::result::Result<(), ::restruct::__private::ValidationErrors> {
            <Self as ::restruct::__private::Endpoint>::validate(self)
        }
    }
};
