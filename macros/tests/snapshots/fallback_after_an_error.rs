::core::compile_error! {
    "`GET` requests have no body, so `name` cannot be sent in one; mark it `#[query]`, `#[header(\"...\")]` or `#[skip]`"
}
::restruct::__private::if_builder! {
    { #[derive(::restruct::__private::bon::Builder)] #[builder(crate =
    ::restruct::__private::bon, on(String, into))] pub struct GetUser { pub id : String,
    pub name : String, } #[allow(unused_qualifications, clippy::absolute_paths,
    clippy::used_underscore_binding, clippy::future_not_send,)] #[automatically_derived]
    impl < __S : get_user_builder::State > GetUserBuilder < __S > { #[doc =
    r" Builds the request and sends it: like `build()` followed by `send(&client)`."] pub
    async fn send(self, client : & ::restruct::__private::Client,) ->
    ::core::result::Result < User, ::restruct::__private::Error <
    ::restruct::__private::serde_json::Value >> where __S : get_user_builder::IsComplete,
    { self.build().send(client). await } } } else { pub struct GetUser { pub id : String,
    pub name : String, } }
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
    #[automatically_derived]
    impl ::restruct::__private::Endpoint for GetUser {
        type Response = User;
        type Error = ::restruct::__private::serde_json::Value;
        const METHOD: ::restruct::__private::Method = ::restruct::__private::Method::GET;
        const PATH: &'static str = "";
        fn write_request(&self, _: &mut ::restruct::__private::RequestWriter<'_>) {
            ::core::unreachable!()
        }
    }
    #[automatically_derived]
    impl GetUser {
        ///Validates this request, sends it as `GET /users/<id>` with `client`, and decodes the response. For options, the status and headers, use `client.call(&request)`.
        pub async fn send(
            &self,
            client: &::restruct::__private::Client,
        ) -> ::core::result::Result<
            User,
            ::restruct::__private::Error<::restruct::__private::serde_json::Value>,
        > {
            client.send(self).await
        }
        ::restruct::__private::if_blocking! {
            #[doc = r" Like `send`, from synchronous code (feature `blocking`)."] pub fn
            send_blocking(& self, client : & ::restruct::__private::BlockingClient,) ->
            ::core::result::Result < User, ::restruct::__private::Error <
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
