{{/* Names and labels. */}}
{{- define "energylive.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "energylive.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "energylive.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/name: {{ include "energylive.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: energylive
{{- end }}

{{/* Selector of one component's pods; call with (dict "root" $ "component" "gateway"). */}}
{{- define "energylive.selectorLabels" -}}
app.kubernetes.io/name: {{ include "energylive.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "energylive.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "energylive.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "energylive.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end }}

{{/* Where the NATS definitions are mounted; ENERGYLIVE_NATS_DEFINITIONS points here. */}}
{{- define "energylive.natsDefinitionsDir" -}}
/etc/energylive/nats
{{- end }}

{{/*
The bundled NATS chart names its client Service like this chart names its resources: the release name,
followed by "-nats" unless the release name already contains it.
*/}}
{{- define "energylive.bundledNatsUrl" -}}
{{- $name := .Values.nats.fullnameOverride | default (ternary .Release.Name (printf "%s-nats" .Release.Name) (contains "nats" .Release.Name)) }}
{{- printf "nats://%s:4222" ($name | trunc 63 | trimSuffix "-") }}
{{- end }}

{{/* One environment variable from a key of an existing Secret; (dict "name" … "secret" … "key" …). */}}
{{- define "energylive.secretEnv" -}}
- name: {{ .name }}
  valueFrom:
    secretKeyRef:
      name: {{ .secret | quote }}
      key: {{ .key | quote }}
{{- end }}

{{/*
Settings whose absence would leave pods crash-looping are refused at install time instead, with the value
to set. Secrets are checked by name only: their content never passes through Helm.
*/}}
{{- define "energylive.validate" -}}
{{- if and (not .Values.nats.enabled) (not .Values.jetstream.url) (not .Values.jetstream.existingSecret) }}
{{- fail "jetstream.url (or jetstream.existingSecret) is required when the bundled NATS chart is off (nats.enabled=false)" }}
{{- end }}
{{- if and .Values.nats.enabled (gt (int .Values.jetstream.replicas) (int .Values.nats.config.cluster.replicas)) }}
{{- fail "jetstream.replicas cannot exceed the number of NATS servers (nats.config.cluster.replicas)" }}
{{- end }}
{{- if and (not .Values.clickhouse.url) (not .Values.clickhouse.existingSecret) }}
{{- fail "clickhouse.url or clickhouse.existingSecret is required: the importer and query pods need a ClickHouse server" }}
{{- end }}
{{- if not .Values.postgresql.existingSecret }}
{{- fail "postgresql.existingSecret is required: accounts and billing pods share one PostgreSQL (e.g. CloudNativePG's <cluster>-app Secret)" }}
{{- end }}
{{- if and (eq .Values.source.kind "fms") (not .Values.source.fms.existingSecret) }}
{{- fail "source.fms.existingSecret is required with source.kind=fms" }}
{{- end }}
{{- if and (eq .Values.source.kind "ftp") (not .Values.source.ftp.existingSecret) }}
{{- fail "source.ftp.existingSecret is required with source.kind=ftp" }}
{{- end }}
{{- if and .Values.google.clientId (not .Values.google.existingSecret) }}
{{- fail "google.existingSecret is required with google.clientId" }}
{{- end }}
{{- if and .Values.google.clientId (not .Values.appSecret.existingSecret) }}
{{- fail "appSecret.existingSecret is required with Google sign-in: every gateway pod must sign its cookie with the same secret" }}
{{- end }}
{{- end }}

{{/* What every process reads. */}}
{{- define "energylive.env.common" -}}
- name: ENERGYLIVE_DATA_DIR
  value: /data
{{- if .Values.jetstream.existingSecret }}
{{ include "energylive.secretEnv" (dict "name" "NATS_URL" "secret" .Values.jetstream.existingSecret "key" .Values.jetstream.secretKey) }}
{{- else }}
- name: NATS_URL
  value: {{ .Values.jetstream.url | default (include "energylive.bundledNatsUrl" .) | quote }}
{{- end }}
- name: ENERGYLIVE_NAMESPACE
  value: {{ .Values.moleculerNamespace | quote }}
- name: ENERGYLIVE_NATS_DEFINITIONS
  value: {{ include "energylive.natsDefinitionsDir" . | quote }}
- name: ENERGYLIVE_NATS_REPLICAS
  value: {{ .Values.jetstream.replicas | quote }}
- name: ENERGYLIVE_DATASETS
  value: {{ join "," .Values.datasets | quote }}
- name: LOG_LEVEL
  value: {{ .Values.logLevel | quote }}
- name: ENERGYLIVE_HEALTH_PORT
  value: {{ .Values.healthPort | quote }}
- name: ENERGYLIVE_PUBLIC_URL
  value: {{ .Values.publicUrl | quote }}
{{- end }}

{{- define "energylive.env.clickhouse" -}}
{{- if .Values.clickhouse.existingSecret }}
{{ include "energylive.secretEnv" (dict "name" "CLICKHOUSE_URL" "secret" .Values.clickhouse.existingSecret "key" .Values.clickhouse.secretKey) }}
{{- else }}
- name: CLICKHOUSE_URL
  value: {{ .Values.clickhouse.url | quote }}
{{- end }}
- name: CLICKHOUSE_DATABASE
  value: {{ .Values.clickhouse.database | quote }}
- name: CLICKHOUSE_CLUSTER
  value: {{ .Values.clickhouse.cluster | quote }}
{{- end }}

{{- define "energylive.env.postgresql" -}}
{{ include "energylive.secretEnv" (dict "name" "DATABASE_URL" "secret" .Values.postgresql.existingSecret "key" .Values.postgresql.secretKey) }}
{{- end }}

{{/* Only the parsers read the source, so only they hold its credentials. */}}
{{- define "energylive.env.source" -}}
- name: ENERGYLIVE_SOURCE
  value: {{ .Values.source.kind | quote }}
- name: ENERGYLIVE_POLL_INTERVAL
  value: {{ .Values.source.pollIntervalSeconds | quote }}
{{- if eq .Values.source.kind "fms" }}
- name: ENTSOE_FMS_URL
  value: {{ .Values.source.fms.url | quote }}
- name: ENTSOE_FMS_TOKEN_URL
  value: {{ .Values.source.fms.tokenUrl | quote }}
{{ include "energylive.secretEnv" (dict "name" "ENTSOE_FMS_USERNAME" "secret" .Values.source.fms.existingSecret "key" .Values.source.fms.usernameKey) }}
{{ include "energylive.secretEnv" (dict "name" "ENTSOE_FMS_PASSWORD" "secret" .Values.source.fms.existingSecret "key" .Values.source.fms.passwordKey) }}
{{- end }}
{{- if eq .Values.source.kind "ftp" }}
{{ include "energylive.secretEnv" (dict "name" "ENERGYLIVE_FTP_URL" "secret" .Values.source.ftp.existingSecret "key" .Values.source.ftp.urlKey) }}
{{- end }}
{{- end }}

{{/* The query actor stops a query after the timeout; the gateway waits for its answer the call timeout. */}}
{{- define "energylive.env.queries" -}}
- name: ENERGYLIVE_QUERY_TIMEOUT_SECONDS
  value: {{ .Values.queries.timeoutSeconds | quote }}
- name: ENERGYLIVE_QUERY_CALL_TIMEOUT_SECONDS
  value: {{ .Values.queries.callTimeoutSeconds | quote }}
{{- end }}

{{- define "energylive.env.imports" -}}
- name: ENERGYLIVE_IMPORT_RETRY_DELAYS
  value: {{ .Values.imports.retryDelaysSeconds | quote }}
{{- end }}

{{/* Parsers store canonical files, importers read them. */}}
{{- define "energylive.env.fileStore" -}}
{{- if .Values.gcsBucket }}
- name: ENERGYLIVE_GCS_BUCKET
  value: {{ .Values.gcsBucket | quote }}
{{- end }}
{{- end }}

{{- define "energylive.env.gateway" -}}
- name: ENERGYLIVE_GATEWAY_PORT
  value: {{ .Values.http.port | quote }}
- name: ENERGYLIVE_GATEWAY_HOST
  value: {{ .Values.http.host | quote }}
- name: ENERGYLIVE_TRUST_PROXY
  value: {{ .Values.http.trustProxy | quote }}
- name: ENERGYLIVE_ACCESS_RECHECK_SECONDS
  value: {{ .Values.http.accessRecheckSeconds | quote }}
- name: ENERGYLIVE_MAX_REQUESTS_PER_SUBSCRIBER
  value: {{ .Values.http.maxRequestsPerSubscriber | quote }}
- name: ENERGYLIVE_MAX_STREAMS_PER_SUBSCRIBER
  value: {{ .Values.http.maxStreamsPerSubscriber | quote }}
{{- if .Values.appSecret.existingSecret }}
{{ include "energylive.secretEnv" (dict "name" "ENERGYLIVE_SECRET" "secret" .Values.appSecret.existingSecret "key" .Values.appSecret.key) }}
{{- end }}
{{- if .Values.google.clientId }}
- name: GOOGLE_CLIENT_ID
  value: {{ .Values.google.clientId | quote }}
{{ include "energylive.secretEnv" (dict "name" "GOOGLE_CLIENT_SECRET" "secret" .Values.google.existingSecret "key" .Values.google.clientSecretKey) }}
- name: GOOGLE_ISSUER
  value: {{ .Values.google.issuer | quote }}
{{- end }}
{{- end }}

{{- define "energylive.env.accounts" -}}
- name: ENERGYLIVE_SESSION_IDLE_HOURS
  value: {{ .Values.accounts.sessionIdleHours | quote }}
- name: ENERGYLIVE_SESSION_MAX_DAYS
  value: {{ .Values.accounts.sessionMaxDays | quote }}
- name: ENERGYLIVE_EMAIL_FROM
  value: {{ .Values.accounts.emailFrom | quote }}
{{- if .Values.accounts.smtp.existingSecret }}
{{ include "energylive.secretEnv" (dict "name" "ENERGYLIVE_SMTP_URL" "secret" .Values.accounts.smtp.existingSecret "key" .Values.accounts.smtp.key) }}
{{- end }}
{{- end }}

{{- define "energylive.env.billing" -}}
{{- if .Values.stripe.existingSecret }}
{{ include "energylive.secretEnv" (dict "name" "STRIPE_SECRET_KEY" "secret" .Values.stripe.existingSecret "key" .Values.stripe.secretKeyKey) }}
{{ include "energylive.secretEnv" (dict "name" "STRIPE_WEBHOOK_SECRET" "secret" .Values.stripe.existingSecret "key" .Values.stripe.webhookSecretKey) }}
{{- end }}
- name: STRIPE_PRICE_ID
  value: {{ .Values.stripe.priceId | quote }}
- name: ENERGYLIVE_TRIAL_DAYS
  value: {{ .Values.stripe.trialDays | quote }}
- name: STRIPE_API_URL
  value: {{ .Values.stripe.apiUrl | quote }}
{{- end }}

{{/*
The environment of one component: what every process reads, and what its own service needs, so each
Secret reaches only the pods that use it. (dict "root" $ "component" "parser"); "migrate" is the Job.
*/}}
{{- define "energylive.env" -}}
{{- $root := .root }}
{{- $groups := dict
  "parser" (list "source" "fileStore")
  "importer" (list "clickhouse" "fileStore" "imports")
  "query" (list "clickhouse" "queries")
  "accounts" (list "postgresql" "accounts")
  "billing" (list "postgresql" "billing")
  "gateway" (list "gateway" "queries")
  "migrate" (list "clickhouse" "postgresql") }}
{{- include "energylive.env.common" $root }}
{{- range (get $groups .component) }}
{{- $group := include (printf "energylive.env.%s" .) $root }}
{{- if $group }}
{{ $group }}
{{- end }}
{{- end }}
{{- end }}

{{/* The NATS definitions, byte for byte the repository's nats/*.json (deploy/chart.test.ts checks it). */}}
{{- define "energylive.natsDefinitions" -}}
{{ (.Files.Glob "files/nats/*.json").AsConfig }}
{{- end }}
