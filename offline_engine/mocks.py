"""Mock engine pieces: a recording monitor and AWS mocks with plausible, deterministic outputs.

Outputs are derived from the resource name and inputs only (no counters, no randomness), so two
runs of the same program and config produce identical bodies, ids and deployment triggers.
"""

from __future__ import annotations

import hashlib
import threading
from typing import Any

from google.protobuf import struct_pb2
from pulumi.runtime import rpc
from pulumi.runtime.mocks import MockCallArgs, MockMonitor, MockResourceArgs, Mocks
from pulumi.runtime.proto import resource_pb2
from pulumi.runtime.settings import get_project, get_stack
from pulumi.runtime.sync_await import _ensure_event_loop, _sync_await

from .records import RecordedResource
from .urns import AliasResolver, AliasSpec, Registration, new_urn, urn_name
from .wire import SECRET_SIG, SIG_KEY

ACCOUNT_ID = "123456789012"
# The Cognito domain prefix of every existing pool a program reads (`UserPool.get`).
EXISTING_POOL_DOMAIN = "shared-identity"
STACK_TYPE = "pulumi:pulumi:Stack"


_POOL_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def _token(seed: str, length: int, alphabet: str = "abcdefghijklmnopqrstuvwxyz0123456789") -> str:
    digest = hashlib.sha256(seed.encode("utf-8")).digest()
    return "".join(alphabet[b % len(alphabet)] for b in digest[:length])


class AwsMocks(Mocks):
    """Answers like the AWS provider after `pulumi up`: inputs echoed plus computed attributes."""

    def __init__(self, region: str) -> None:
        self.region = region

    def call(self, args: MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        if args.token == "aws:index/getRegion:getRegion":
            return {"region": self.region, "name": self.region, "id": self.region}, None
        if args.token == "aws:index/getCallerIdentity:getCallerIdentity":
            return {"accountId": ACCOUNT_ID, "arn": f"arn:aws:iam::{ACCOUNT_ID}:root"}, None
        return {}, None

    def new_resource(self, args: MockResourceArgs) -> tuple[str | None, dict[str, Any]]:
        if not args.custom:
            return "", {}
        inputs = dict(args.inputs)
        region = inputs.get("region") or self.region
        state: dict[str, Any] = {**inputs}
        if args.typ.startswith("aws:") and not args.typ.startswith("aws:iam/"):
            state["region"] = region
        computed = _COMPUTED.get(args.typ)
        resource_id = f"{args.name}-{_token(args.typ + args.name, 8)}"
        if computed is not None:
            resource_id, extra = computed(args.name, inputs, region)
            state.update(extra)
        return resource_id, state

    def read(self, type_: str, name: str, resource_id: str) -> dict[str, Any]:
        """What `X.get(name, id)` finds: a resource the account already holds.

        A user pool read by id is `EXISTING_POOL_DOMAIN`'s pool unless its id says it has no
        domain (`..._nodomain...`), so both of an existing pool's cases can be played.
        """
        state: dict[str, Any] = {"id": resource_id}
        if type_ == "aws:cognito/userPool:UserPool":
            state.update(
                arn=f"arn:aws:cognito-idp:{self.region}:{ACCOUNT_ID}:userpool/{resource_id}",
                endpoint=f"cognito-idp.{self.region}.amazonaws.com/{resource_id}",
                domain="" if "nodomain" in resource_id.lower() else EXISTING_POOL_DOMAIN,
                region=self.region,
            )
        return state


def _user_pool(name: str, inputs: dict[str, Any], region: str) -> tuple[str, dict[str, Any]]:
    pool_id = f"{region}_{_token(name, 9, _POOL_ALPHABET)}"
    return pool_id, {
        "arn": f"arn:aws:cognito-idp:{region}:{ACCOUNT_ID}:userpool/{pool_id}",
        "endpoint": f"cognito-idp.{region}.amazonaws.com/{pool_id}",
        "name": inputs.get("name") or name,
    }


def _domain(name: str, inputs: dict[str, Any], region: str) -> tuple[str, dict[str, Any]]:
    return str(inputs.get("domain")), {"awsAccountId": ACCOUNT_ID}


def _resource_server(name: str, inputs: dict[str, Any], region: str) -> tuple[str, dict[str, Any]]:
    identifier = str(inputs.get("identifier"))
    scopes = inputs.get("scopes") or []
    return f"{inputs.get('userPoolId')}|{identifier}", {
        # What Cognito reports: the identifier and the scope name joined by '/', as given.
        "scopeIdentifiers": [f"{identifier}/{s['scopeName']}" for s in scopes]
    }


def _client(name: str, inputs: dict[str, Any], region: str) -> tuple[str, dict[str, Any]]:
    state: dict[str, Any] = {}
    if inputs.get("generateSecret"):
        state["clientSecret"] = f"mock-secret-{_token('secret' + name, 40)}"
    return _token("client" + name, 26), state


def _rest_api(name: str, inputs: dict[str, Any], region: str) -> tuple[str, dict[str, Any]]:
    api_id = _token("api" + name, 10)
    return api_id, {
        "rootResourceId": _token("root" + name, 10),
        "executionArn": f"arn:aws:execute-api:{region}:{ACCOUNT_ID}:{api_id}",
        "arn": f"arn:aws:apigateway:{region}::/restapis/{api_id}",
    }


def _rest_api_put(name: str, inputs: dict[str, Any], region: str) -> tuple[str, dict[str, Any]]:
    return str(inputs.get("restApiId")), {}


def _deployment(name: str, inputs: dict[str, Any], region: str) -> tuple[str, dict[str, Any]]:
    return _token("deployment" + name + str(inputs.get("triggers")), 6), {}


def _stage(name: str, inputs: dict[str, Any], region: str) -> tuple[str, dict[str, Any]]:
    api_id, stage = inputs.get("restApi"), inputs.get("stageName")
    return f"ags-{api_id}-{stage}", {
        "invokeUrl": f"https://{api_id}.execute-api.{region}.amazonaws.com/{stage}",
        "executionArn": f"arn:aws:execute-api:{region}:{ACCOUNT_ID}:{api_id}/{stage}",
        "arn": f"arn:aws:apigateway:{region}::/restapis/{api_id}/stages/{stage}",
    }


def _log_group(name: str, inputs: dict[str, Any], region: str) -> tuple[str, dict[str, Any]]:
    group = inputs.get("name") or f"{name}-{_token(name, 7)}"
    return group, {"name": group, "arn": f"arn:aws:logs:{region}:{ACCOUNT_ID}:log-group:{group}"}


def _iam_role(name: str, inputs: dict[str, Any], region: str) -> tuple[str, dict[str, Any]]:
    role = inputs.get("name") or f"{name}-{_token(name, 7)}"
    return role, {"name": role, "arn": f"arn:aws:iam::{ACCOUNT_ID}:role/{role}"}


_COMPUTED = {
    "aws:cognito/userPool:UserPool": _user_pool,
    "aws:cognito/userPoolDomain:UserPoolDomain": _domain,
    "aws:cognito/resourceServer:ResourceServer": _resource_server,
    "aws:cognito/userPoolClient:UserPoolClient": _client,
    "aws:apigateway/restApi:RestApi": _rest_api,
    "aws:apigateway/restApiPut:RestApiPut": _rest_api_put,
    "aws:apigateway/deployment:Deployment": _deployment,
    "aws:apigateway/stage:Stage": _stage,
    "aws:cloudwatch/logGroup:LogGroup": _log_group,
    "aws:iam/role:Role": _iam_role,
}


def _is_secret(value: struct_pb2.Value) -> bool:
    if value.WhichOneof("kind") != "struct_value":
        return False
    sig = value.struct_value.fields.get(SIG_KEY)
    return sig is not None and sig.string_value == SECRET_SIG


def _wrap_secret(value: struct_pb2.Value) -> struct_pb2.Value:
    wrapped = struct_pb2.Value()
    wrapped.struct_value.fields[SIG_KEY].string_value = SECRET_SIG
    wrapped.struct_value.fields["value"].CopyFrom(value)
    return wrapped


class RecordingMonitor(MockMonitor):
    """A MockMonitor that keeps every registration in the engine's wire format.

    URNs are the engine's (`urns.new_urn`: every parent type, the root stack's left out), not
    the SDK mock's. Preview mode answers custom resources the way the engine does during
    `pulumi preview`: the inputs come back as they were sent (unknowns stay unknown), no id and
    no computed attribute (so a pool's `arn` is unknown). `additionalSecretOutputs` are made
    secret, as the engine does, unless `honour_additional_secret_outputs=False`: that plays a
    provider whose schema forgot to mark a secret, to prove the program's own secret wrapping.
    `registered_outputs` keeps what every component (and the stack) passed to
    `register_outputs`, by URN. Reads (`X.get`) are recorded too, as `external`.

    `previous` plays a stack that was deployed before: the URNs of its state. Each registration
    is matched to it as the engine matches (its URN, then its aliases, `urns.AliasResolver`);
    a resource that takes over an old one is answered as the old one was (the mocks derive ids
    from names, so from the old name), as the engine keeps an aliased resource's id and state.
    """

    def __init__(
        self,
        mocks: Mocks,
        *,
        preview: bool,
        honour_additional_secret_outputs: bool = True,
        previous: frozenset[str] | None = None,
    ) -> None:
        super().__init__(mocks)
        self.preview = preview
        self.honour_additional_secret_outputs = honour_additional_secret_outputs
        self.previous = previous
        self.records: list[RecordedResource] = []
        self.stack_urn = ""
        self.stack_outputs = struct_pb2.Struct()
        self.registered_outputs: dict[str, struct_pb2.Struct] = {}
        self._lock = threading.Lock()
        self._resolver: AliasResolver | None = None

    def make_urn(self, parent: str, type_: str, name: str) -> str:
        return new_urn(get_stack(), get_project(), parent, type_, name)

    def _match(self, request: Any) -> tuple[str, tuple[AliasSpec, ...], str | None]:
        """The URN, the alias specs and, with `previous`, the old URN taken over."""
        aliases = tuple(AliasSpec.from_proto(a) for a in request.aliases)
        aliases += tuple(AliasSpec(urn=u) for u in request.aliasURNs)
        if self.previous is None:
            return self.make_urn(request.parent, request.type, request.name), aliases, None
        with self._lock:
            if self._resolver is None:
                self._resolver = AliasResolver(get_stack(), get_project(), self.previous)
            urn, old = self._resolver.register(
                Registration(request.type, request.name, request.parent, aliases)
            )
        return urn, aliases, old

    def RegisterResource(self, request: Any) -> Any:
        if request.type == STACK_TYPE:
            urn = self.make_urn(request.parent, request.type, request.name)
            self.stack_urn = urn
            return resource_pb2.RegisterResourceResponse(urn=urn)

        urn, aliases, previous_urn = self._match(request)
        _ensure_event_loop()  # type: ignore[no-untyped-call]
        custom = bool(request.custom)
        response = struct_pb2.Struct()
        if self.preview and custom:
            resource_id = ""
            response.CopyFrom(request.object)
            state = rpc.deserialize_properties(request.object)
        else:
            args = MockResourceArgs(
                typ=request.type,
                # An aliased resource keeps its old id and state: answer as for its old name.
                name=urn_name(previous_urn) if previous_urn else request.name,
                inputs=rpc.deserialize_properties(request.object),
                provider=request.provider,
                resource_id=request.importId,
                custom=custom,
            )
            new_id, state = self.mocks.new_resource(args)
            resource_id = new_id or ""
            response.CopyFrom(_sync_await(rpc.serialize_properties(state, {})))
        for key, value in request.object.fields.items():
            if (
                _is_secret(value)
                and key in response.fields
                and not _is_secret(response.fields[key])
            ):
                response.fields[key].CopyFrom(_wrap_secret(response.fields[key]))
        secret_outputs = (
            request.additionalSecretOutputs if self.honour_additional_secret_outputs else []
        )
        for key in secret_outputs:
            if key in response.fields and not _is_secret(response.fields[key]):
                response.fields[key].CopyFrom(_wrap_secret(response.fields[key]))

        inputs = struct_pb2.Struct()
        inputs.CopyFrom(request.object)
        outputs = struct_pb2.Struct()
        outputs.CopyFrom(request.object)
        for key, value in response.fields.items():
            outputs.fields[key].CopyFrom(value)
        record = RecordedResource(
            urn=urn,
            type=request.type,
            name=request.name,
            custom=custom,
            inputs=inputs,
            outputs=outputs,
            id=resource_id,
            parent=request.parent,
            provider=request.provider,
            dependencies=list(request.dependencies),
            property_dependencies={
                key: list(deps.urns) for key, deps in request.propertyDependencies.items()
            },
            retain_on_delete=bool(request.retainOnDelete),
            aliases=aliases,
            previous_urn=previous_urn,
        )
        with self._lock:
            self.resources[urn] = MockMonitor.ResourceRegistration(urn, resource_id, state)
            self.records.append(record)
        return resource_pb2.RegisterResourceResponse(urn=urn, id=resource_id, object=response)

    def ReadResource(self, request: Any) -> Any:
        """`X.get(name, id)`: the resource as the account holds it, recorded as external."""
        urn = self.make_urn(request.parent, request.type, request.name)
        if not isinstance(self.mocks, AwsMocks):
            return super().ReadResource(request)  # type: ignore[no-untyped-call]
        _ensure_event_loop()  # type: ignore[no-untyped-call]
        state = self.mocks.read(request.type, request.name, request.id)
        properties = _sync_await(rpc.serialize_properties(state, {}))
        record = RecordedResource(
            urn=urn,
            type=request.type,
            name=request.name,
            custom=True,
            inputs=struct_pb2.Struct(),
            outputs=properties,
            id=request.id,
            parent=request.parent,
            provider=request.provider,
            external=True,
        )
        with self._lock:
            self.resources[urn] = MockMonitor.ResourceRegistration(urn, request.id, state)
            self.records.append(record)
        return resource_pb2.ReadResourceResponse(urn=urn, properties=properties)

    def RegisterResourceOutputs(self, request: Any) -> Any:
        captured = struct_pb2.Struct()
        captured.CopyFrom(request.outputs)
        with self._lock:
            self.registered_outputs[request.urn] = captured
        if request.urn and request.urn == self.stack_urn:
            self.stack_outputs = captured
        return super().RegisterResourceOutputs(request)  # type: ignore[no-untyped-call]
