import * as fs from "fs";
import * as pulumi from "@pulumi/pulumi";
import * as m2m from "@pulumi/secured-m2m-api";

const config = new pulumi.Config();

// The pool, its token endpoint, the API guarded on every operation and one client per
// consumer. The component runs in this folder but reads no file: pass the document's text.
const inventory = new m2m.SecuredM2MApi("inventory", {
    domainPrefix: config.require("domainPrefix"),
    spec: fs.readFileSync("openapi.yaml", "utf8"),
    specName: "openapi.yaml",
    scopes: {
        read: "Read stock levels",
        write: "Adjust stock levels",
    },
    operationScopes: {
        "PUT /items/{sku}": ["write"],
    },
    consumers: [
        { name: "storefront", scopes: ["read"] },
        { name: "warehouse", scopes: ["read", "write"] },
    ],
    accessTokenValidityMinutes: 30,
    deletionProtection: config.getBoolean("deletionProtection") ?? false,
    tags: { team: "inventory" },
});

export const apiUrl = inventory.apiUrl;
export const tokenEndpoint = inventory.tokenEndpoint;
export const scopeIdentifiers = inventory.scopeIdentifiers;
export const clientIds = inventory.clientIds;
// A secret: `pulumi stack output clientSecrets --show-secrets`.
export const clientSecrets = inventory.clientSecrets;
export const apiPlan = inventory.apiPlan;
