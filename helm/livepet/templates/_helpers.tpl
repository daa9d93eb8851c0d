{{/* The release's name prefix: "livepet" for a release named livepet, else <release>-livepet. */}}
{{- define "livepet.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "livepet.labels" -}}
app.kubernetes.io/part-of: livepet
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* The three services: values key, name, HTTP port (each service's quarkus.http.port), management port (health, metrics: Quarkus' default). */}}
{{- define "livepet.services" -}}
- {key: persistence, name: persistence-service, port: 8082, managementPort: 9000}
- {key: simulator, name: simulator-service, port: 8081, managementPort: 9000}
- {key: viewer, name: viewer-service, port: 8080, managementPort: 9000}
{{- end -}}

{{/* A service's image: [registry/]repository (or prefix/name), then @digest if given, else :tag (default appVersion). */}}
{{- define "livepet.image" -}}
{{- $root := index . 0 -}}{{- $svc := index . 1 -}}
{{- $own := (index $root.Values $svc.key).image | default dict -}}
{{- with $root.Values.image.registry -}}{{ . }}/{{- end -}}
{{- $own.repository | default (printf "%s/%s" $root.Values.image.repositoryPrefix $svc.name) -}}
{{- if $own.digest -}}@{{ $own.digest }}{{- else -}}:{{ $root.Values.image.tag | default $root.Chart.AppVersion }}{{- end -}}
{{- end -}}

{{- define "livepet.dbSecret" -}}
{{- default (printf "%s-db" (include "livepet.fullname" .)) .Values.postgresql.auth.existingSecret -}}
{{- end -}}

{{- define "livepet.backupSecret" -}}
{{- default (printf "%s-backup" (include "livepet.fullname" .)) .Values.postgresql.cloudnativepg.backup.credentialsSecret -}}
{{- end -}}

{{/* Backups are CloudNativePG's, and go somewhere: refuse backups that would not happen. */}}
{{- define "livepet.checkBackup" -}}
{{- $b := .Values.postgresql.cloudnativepg.backup -}}
{{- if $b.enabled -}}
{{- if ne .Values.postgresql.mode "cloudnative-pg" -}}
{{- fail "postgresql.cloudnativepg.backup.enabled needs postgresql.mode cloudnative-pg: back up a PostgreSQL you run yourself with your own tools." -}}
{{- end -}}
{{- $_ := required "postgresql.cloudnativepg.backup.enabled needs postgresql.cloudnativepg.backup.destinationPath, the bucket and path the backups go to (e.g. s3://livepet-backups/livepet)." $b.destinationPath -}}
{{- end -}}
{{- if and (eq .Values.postgresql.mode "cloudnative-pg") (ge (int .Values.postgresql.cloudnativepg.instances) 2) -}}
{{- if ge (int .Values.postgresql.cloudnativepg.synchronous.number) (int .Values.postgresql.cloudnativepg.instances) -}}
{{- fail (printf "postgresql.cloudnativepg.synchronous.number (%v) must be less than the instances (%v): each commit waits for that many standbys." .Values.postgresql.cloudnativepg.synchronous.number .Values.postgresql.cloudnativepg.instances) -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "livepet.viewerSecret" -}}
{{- default (printf "%s-viewer" (include "livepet.fullname" .)) .Values.viewer.sessionKey.existingSecret -}}
{{- end -}}

{{- define "livepet.kafkaBootstrap" -}}
{{- if eq .Values.kafka.mode "strimzi" -}}
{{- printf "%s-kafka-bootstrap:9093" (include "livepet.fullname" .) -}}
{{- else -}}
{{- .Values.kafka.bootstrapServers -}}
{{- end -}}
{{- end -}}

{{/* strimzi mode: the services reach Kafka over TLS with SCRAM-SHA-512, trusting the cluster CA mounted here */}}
{{- define "livepet.kafkaCaDir" -}}/etc/livepet/kafka-ca{{- end -}}

{{- define "livepet.pgHostPort" -}}
{{- if eq .Values.postgresql.mode "cloudnative-pg" -}}
{{- printf "%s-pg-rw:5432" (include "livepet.fullname" .) -}}
{{- else -}}
{{- printf "%s:%v" .Values.postgresql.host .Values.postgresql.port -}}
{{- end -}}
{{- end -}}

{{/* docs/architecture.md, "The partition count": at least ten partitions per simulator instance, else some instances idle. */}}
{{- define "livepet.checkPartitions" -}}
{{- $max := .Values.simulator.replicas -}}
{{- if .Values.simulator.autoscaling.enabled -}}{{- $max = .Values.simulator.autoscaling.maxReplicas -}}{{- end -}}
{{- if (.Values.simulator.keda).enabled -}}
{{- if .Values.simulator.autoscaling.enabled -}}
{{- fail "simulator.keda.enabled and simulator.autoscaling.enabled: one autoscaler per Deployment; turn the CPU one off" -}}
{{- end -}}
{{- $max = .Values.simulator.keda.maxReplicas -}}
{{- end -}}
{{- if gt (mul (int $max) 10) (int .Values.kafka.topics.partitions) -}}
{{- fail (printf "kafka.topics.partitions (%v) must be at least 10 x the simulator's replicas (%v)" .Values.kafka.topics.partitions $max) -}}
{{- end -}}
{{- end -}}

{{/* PostgreSQL's max_connections for the replica counts (values.yaml, postgresql.cloudnativepg, says the sum) */}}
{{- define "livepet.maxConnections" -}}
{{- $viewers := ternary .Values.viewer.autoscaling.maxReplicas .Values.viewer.replicas .Values.viewer.autoscaling.enabled -}}
{{- $persisters := ternary ((.Values.persistence.autoscaling).maxReplicas) .Values.persistence.replicas (((.Values.persistence.autoscaling).enabled) | default false) -}}
{{- add (mul (int $viewers) 11) (mul (int $persisters) 10) 20 -}}
{{- end }}
