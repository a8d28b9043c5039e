#include "model.h"
static void nop(rs_model *m) { (void)m; }
const rs_model_ops rs_fm_ops = {"fm", nop, 0, 0, 0, 0};
const rs_model_ops rs_deepfm_ops = {"deepfm", nop, 0, 0, 0, 0};
