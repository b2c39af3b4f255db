import * as gatewayV1 from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1'
import * as networkingV1 from '@kubernetes-models/istio/networking.istio.io/v1'
import * as networkingV1alpha3 from '@kubernetes-models/istio/networking.istio.io/v1alpha3'
import * as securityV1 from '@kubernetes-models/istio/security.istio.io/v1'
import * as securityV1beta1 from '@kubernetes-models/istio/security.istio.io/v1beta1'
import * as telemetryV1 from '@kubernetes-models/istio/telemetry.istio.io/v1'
import * as appsV1 from 'kubernetes-models/apps/v1'
import * as batchV1 from 'kubernetes-models/batch/v1'
import * as rbacV1 from 'kubernetes-models/rbac.authorization.k8s.io/v1'
import * as coreV1 from 'kubernetes-models/v1'
import { nameOf, type K8sObject } from './objects.js'

interface ModelClass {
  new (data: never): { validate(): void }
}

/**
 * The schema of each apiVersion: the model classes of kubernetes-models, @kubernetes-models/istio and
 * @kubernetes-models/gateway-api.
 */
const MODELS: Record<string, Record<string, unknown>> = {
  v1: coreV1,
  'apps/v1': appsV1,
  'batch/v1': batchV1,
  'rbac.authorization.k8s.io/v1': rbacV1,
  'networking.istio.io/v1': networkingV1,
  'networking.istio.io/v1alpha3': networkingV1alpha3,
  'security.istio.io/v1': securityV1,
  'security.istio.io/v1beta1': securityV1beta1,
  'telemetry.istio.io/v1': telemetryV1,
  'gateway.networking.k8s.io/v1': gatewayV1,
}

/** True when a model class knows the object's apiVersion and kind. */
export function hasSchema(object: K8sObject): boolean {
  return modelOf(object) !== undefined
}

function modelOf(object: K8sObject): ModelClass | undefined {
  const model = MODELS[object.apiVersion]?.[object.kind]
  return typeof model === 'function' ? (model as ModelClass) : undefined
}

/** Validates an object against its schema; throws naming the object and every problem found. */
export function validateObject(object: K8sObject): void {
  const { source: _source, ...data } = object
  const Model = modelOf(object)
  if (!Model) throw new Error(`${nameOf(object)}: no schema known for ${object.apiVersion} ${object.kind}`)
  try {
    new Model(data as never).validate()
  } catch (error) {
    throw new Error(`${nameOf(object)}: ${(error as Error).message}`, { cause: error })
  }
}
