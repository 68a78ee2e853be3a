{{- define "artifactstore.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "artifactstore.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "artifactstore.labels" -}}
app.kubernetes.io/name: {{ include "artifactstore.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "artifactstore.selectorLabels" -}}
app.kubernetes.io/name: {{ include "artifactstore.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "artifactstore.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "artifactstore.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/*
The rules the operator needs wherever it watches: ArtifactStores (finalizers and annotations are
patched, status too), Events (created), and Secrets (a watch of those labelled
artifactstore.dev/credentials=true, and a get of a store's named Secret to tell it that its Secret
lacks the label). RBAC cannot restrict list and watch to a label. ChartRbacIT checks these against
the requests of a running operator.
*/}}
{{- define "artifactstore.rules" -}}
- apiGroups: ["artifactstore.dev"]
  resources: ["artifactstores"]
  verbs: ["get", "list", "watch", "patch"]
- apiGroups: ["artifactstore.dev"]
  resources: ["artifactstores/status"]
  verbs: ["patch"]
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create"]
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["get", "list", "watch"]
{{- end -}}
