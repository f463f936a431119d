/**
 * empty: offer every translated block to a translation callback that adds
 * nothing (QEMU's empty test plugin). Useful to measure what it costs the
 * engine to have a plugin looking at translation, with no instrumentation
 * compiled into the code.
 *
 * Options: none (as QEMU's, any arguments given are ignored).
 */
import * as qp from 'rvscope/plugin'

export const version = qp.PLUGIN_VERSION

function tbTrans(_id: qp.PluginId, _tb: qp.Tb): void {}

export const install: qp.PluginInstall = (id, _info, _args) => {
  qp.registerVcpuTbTransCb(id, tbTrans)
  return undefined
}
