::restruct::__private::if_builder! {
    { #[derive(::restruct::__private::bon::Builder)] #[builder(crate =
    ::restruct::__private::bon, on(String, into))] pub struct Upload { pub signature :
    String, pub trace : Option < String >, pub purpose : String, pub data : Vec < u8 >, }
    #[allow(unused_qualifications, clippy::absolute_paths,
    clippy::used_underscore_binding, clippy::future_not_send,)] #[automatically_derived]
    impl < __S : upload_builder::State > UploadBuilder < __S > { #[doc =
    r" Builds the request and sends it: like `build()` followed by `send(&client)`."] pub
    async fn send(self, client : & ::restruct::__private::Client,) ->
    ::core::result::Result < File, ::restruct::__private::Error <
    ::restruct::__private::serde_json::Value >> where __S : upload_builder::IsComplete, {
    self.build().send(client). await } } } else { pub struct Upload { pub signature :
    String, pub trace : Option < String >, pub purpose : String, pub data : Vec < u8 >, }
    }
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
            "Upload",
            "POST",
            "/files",
        )
        .params(
            &[
                ::restruct::__private::meta::ParamMeta::new(
                    "signature",
                    "x-signature",
                    ::restruct::__private::meta::ParamLocation::Header,
                    true,
                    ::restruct::__private::meta::ParamStyle::Single,
                ),
                ::restruct::__private::meta::ParamMeta::new(
                    "trace",
                    "x-trace",
                    ::restruct::__private::meta::ParamLocation::Header,
                    false,
                    ::restruct::__private::meta::ParamStyle::Single,
                ),
            ],
        )
        .static_headers(&[("x-api-version", "2")])
        .body(
            ::restruct::__private::meta::BodyMeta::members(
                ::restruct::__private::meta::BodyKind::Other("multipart/form-data"),
                &[
                    ::restruct::__private::meta::MemberMeta::new(
                        "purpose",
                        "purpose",
                        ::restruct::__private::meta::Presence::Always,
                    ),
                    ::restruct::__private::meta::MemberMeta::new(
                        "data",
                        "file",
                        ::restruct::__private::meta::Presence::Always,
                    ),
                ],
            ),
        )
        .types("File", "serde_json::Value")
        .schemas(
            ::restruct::__private::if_schema! {
                { fn __restruct_schemas() -> ::restruct::__private::meta::EndpointSchemas
                { #[allow(unused_imports)] use ::restruct::__private::schema::NoSchema as
                _; let mut __res = ::restruct::__private::schema::response_generator();
                let mut __req = ::restruct::__private::schema::request_generator(); let
                __response = ::restruct::__private::schema::Probe:: < File > ::new()
                .schema(& mut __res); let __error =
                ::restruct::__private::schema::Probe:: <
                ::restruct::__private::serde_json::Value > ::new().schema(& mut __res);
                let __body = ::core::option::Option::None; let __fields =
                ::std::vec![("signature", ::restruct::__private::schema::Probe:: < String
                > ::new().schema(& mut __req)), ("trace",
                ::restruct::__private::schema::Probe:: < Option < String > > ::new()
                .schema(& mut __req)), ("purpose", ::restruct::__private::schema::Probe::
                < String > ::new().schema(& mut __req)), ("data",
                ::restruct::__private::schema::Probe:: < Vec < u8 > > ::new().schema(&
                mut __req))]; ::restruct::__private::schema::finish(__res, __req,
                __response, __error, __body, __fields) } __restruct_schemas as fn () ->
                ::restruct::__private::meta::EndpointSchemas }
            },
        );
    #[automatically_derived]
    impl ::restruct::__private::Endpoint for Upload {
        type Response = File;
        type Error = ::restruct::__private::serde_json::Value;
        const METHOD: ::restruct::__private::Method = ::restruct::__private::Method::POST;
        const PATH: &'static str = "/files";
        const META: ::core::option::Option<
            &'static ::restruct::__private::meta::EndpointMeta,
        > = ::core::option::Option::Some(&__RESTRUCT_META);
        fn write_request(&self, __req: &mut ::restruct::__private::RequestWriter<'_>) {
            __req.path_literal("/files");
            __req
                .static_header(
                    const {
                        ::restruct::__private::HeaderName::from_static("x-api-version")
                    },
                    const { ::restruct::__private::HeaderValue::from_static("2") },
                );
            __req
                .header_marked(
                    "signature",
                    const {
                        ::restruct::__private::HeaderName::from_static("x-signature")
                    },
                    &self.signature,
                    true,
                );
            if let ::core::option::Option::Some(__value) = &self.trace {
                __req
                    .header(
                        "trace",
                        const {
                            ::restruct::__private::HeaderName::from_static("x-trace")
                        },
                        __value,
                    );
            }
            let mut __form = ::restruct::__private::Multipart::new();
            __form.part("purpose", "purpose", &self.purpose);
            __form.part("data", "file", &self.data);
            __req.multipart_body(__form);
        }
    }
    #[automatically_derived]
    impl Upload {
        ///Validates this request, sends it as `POST /files` with `client`, and decodes the response. For options, the status and headers, use `client.call(&request)`.
        pub async fn send(
            &self,
            client: &::restruct::__private::Client,
        ) -> ::core::result::Result<
            File,
            ::restruct::__private::Error<::restruct::__private::serde_json::Value>,
        > {
            client.send(self).await
        }
        ::restruct::__private::if_blocking! {
            #[doc = r" Like `send`, from synchronous code (feature `blocking`)."] pub fn
            send_blocking(& self, client : & ::restruct::__private::BlockingClient,) ->
            ::core::result::Result < File, ::restruct::__private::Error <
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
