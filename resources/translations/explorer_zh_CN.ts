<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ActivationCard</name>
    <message>
        <location filename="../../explorer/ui/tensor/activations_dock.py" line="54"/>
        <source>Click to inspect these numbers</source>
        <translation>点击查看这些数值</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tensor/activations_dock.py" line="64"/>
        <source>(no tensor)</source>
        <translation>（无张量）</translation>
    </message>
</context>
<context>
    <name>ActivationsDock</name>
    <message>
        <location filename="../../explorer/ui/tensor/activations_dock.py" line="90"/>
        <source>Activations</source>
        <translation>激活值</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tensor/activations_dock.py" line="98"/>
        <source>Press Step forward (F10) to run the network one layer at a time.</source>
        <translation>按“单步前向”（F10），让网络一层一层地运行。</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tensor/activations_dock.py" line="159"/>
        <source>{0}: {1} token ids by position</source>
        <translation>{0}：{1} 个词元 ID（按位置）</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tensor/activations_dock.py" line="160"/>
        <source>input -&gt; {0}</source>
        <translation>输入 -&gt; {0}</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tensor/activations_dock.py" line="185"/>
        <source>{0}. {1} -&gt; {2}</source>
        <translation>{0}. {1} -&gt; {2}</translation>
    </message>
</context>
<context>
    <name>AutogradGraphView</name>
    <message>
        <location filename="../../explorer/ui/graph/box_texts.py" line="24"/>
        <source>forward</source>
        <translation>forward</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/graph/box_texts.py" line="30"/>
        <source>{0}  ({1} nodes)</source>
        <translation>{0}  （{1} 个节点）</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/graph/box_texts.py" line="39"/>
        <source>forward (the model itself)</source>
        <translation>forward（模型本身）</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/graph/box_texts.py" line="40"/>
        <source>module: {0}</source>
        <translation>模块：{0}</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/graph/box_texts.py" line="42"/>
        <source>parameter: {0}</source>
        <translation>参数：{0}</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/graph/box_texts.py" line="44"/>
        <source>saved {0}: {1}</source>
        <translation>保存的 {0}：{1}</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/graph/box_texts.py" line="52"/>
        <source>{0} nodes inside, {1} run by backward</source>
        <translation>内含 {0} 个节点，反向传播已运行 {1} 个</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/graph/box_texts.py" line="55"/>
        <source>{0} search matches inside</source>
        <translation>内含 {0} 个搜索匹配</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/graph/box_texts.py" line="56"/>
        <source>Double-click to open</source>
        <translation>双击展开</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/graph/module_menu.py" line="37"/>
        <source>Open {0}</source>
        <translation>展开 {0}</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/graph/module_menu.py" line="40"/>
        <source>Open everything inside {0}</source>
        <translation>展开 {0} 内的全部模块</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/graph/module_menu.py" line="47"/>
        <source>Close {0}</source>
        <translation>折叠 {0}</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/graph/module_menu.py" line="51"/>
        <source>Expand all</source>
        <translation>全部展开</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/graph/module_menu.py" line="52"/>
        <source>Collapse to top level</source>
        <translation>折叠到顶层</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/graph/scene_view.py" line="132"/>
        <source>The autograd graph appears when the loss is computed (or backward starts from the output).</source>
        <translation>计算损失后（或从输出开始反向传播时），这里会显示自动求导计算图。</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/graph/export.py" line="62"/>
        <source>Cannot write {0}: the PNG encoder failed</source>
        <translation>无法写入 {0}：PNG 编码失败</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/graph/export.py" line="79"/>
        <source>Autograd graph</source>
        <translation>自动求导计算图</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/graph/export.py" line="33"/>
        <source>There is no graph to export yet.</source>
        <translation>还没有可以导出的计算图。</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/graph/export.py" line="36"/>
        <source>Cannot write {0}: the folder {1} does not exist</source>
        <translation>无法写入 {0}：文件夹 {1} 不存在</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/graph/export.py" line="93"/>
        <source>Cannot write {0}: {1}</source>
        <translation>无法写入 {0}：{1}</translation>
    </message>
</context>
<context>
    <name>Captions</name>
    <message>
        <location filename="../../explorer/ui/phrases.py" line="47"/>
        <source>{0}.grad</source>
        <translation>{0}.grad</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/phrases.py" line="48"/>
        <source>{0} before update</source>
        <translation>{0}（更新前）</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/phrases.py" line="49"/>
        <source>{0} after - before</source>
        <translation>{0}：更新后 - 更新前</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/phrases.py" line="50"/>
        <source>{0} input {1}</source>
        <translation>{0} 的输入 {1}</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/phrases.py" line="51"/>
        <source>{0} output</source>
        <translation>{0} 的输出</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/phrases.py" line="52"/>
        <source>forward {0}: {1}</source>
        <translation>前向 {0}：{1}</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/phrases.py" line="53"/>
        <source>input</source>
        <translation>输入</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/phrases.py" line="54"/>
        <source>grad_outputs[{0}] (in, from the loss side)</source>
        <translation>grad_outputs[{0}]（传入，来自损失一侧）</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/phrases.py" line="55"/>
        <source>grad_inputs[{0}] (out, towards the inputs)</source>
        <translation>grad_inputs[{0}]（传出，流向输入）</translation>
    </message>
</context>
<context>
    <name>ChainRuleView</name>
    <message>
        <location filename="../../explorer/ui/tensor/chain_rule_view.py" line="69"/>
        <source>Chain rule</source>
        <translation>链式法则</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tensor/chain_rule_view.py" line="77"/>
        <location filename="../../explorer/ui/tensor/chain_rule_view.py" line="138"/>
        <source>Check numerically</source>
        <translation>进行数值检查</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tensor/chain_rule_view.py" line="79"/>
        <source>Move the worked element by ±ε, rerun the forward from this node in float64, and compare (L(x+ε) − L(x−ε)) / 2ε with the gradient autograd gave.</source>
        <translation>把逐项算出的元素移动 ±ε，从这个节点起以 float64 重新计算前向，并把 (L(x+ε) − L(x−ε)) / 2ε 与自动求导给出的梯度比较。</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tensor/chain_rule_view.py" line="140"/>
        <source>The chain rule is worked out once this node has run in the backward pass.</source>
        <translation>这个节点在反向传播中运行之后，才会逐项算出它的链式法则。</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tensor/chain_rule_view.py" line="149"/>
        <source>No numeric check for this node in this pass.</source>
        <translation>这一遍计算中，这个节点没有数值检查。</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tensor/chain_rule_view.py" line="154"/>
        <source>Click a cell of a gradient picture to work that element; the largest is worked first.</source>
        <translation>点击梯度图中的一个格子，逐项算出该元素；默认算绝对值最大的元素。</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tensor/chain_rule_view.py" line="167"/>
        <source>That is a gradient that came in (dL/dy): click a cell of a gradient that went out to work it.</source>
        <translation>这是传入的梯度 (dL/dy)：请点击传出梯度中的格子来逐项计算。</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tensor/chain_rule_view.py" line="176"/>
        <source>Checking...</source>
        <translation>正在检查...</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tensor/chain_rule_view.py" line="216"/>
        <source>Local rule</source>
        <translation>局部规则</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tensor/chain_rule_view.py" line="216"/>
        <source>No written rule</source>
        <translation>没有写出的规则</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tensor/chain_rule_view.py" line="225"/>
        <source>from {0}</source>
        <translation>来自 {0}</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tensor/chain_rule_view.py" line="226"/>
        <source>used by the rule</source>
        <translation>规则使用</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tensor/chain_rule_view.py" line="229"/>
        <source>Saved tensors</source>
        <translation>保存的张量</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tensor/chain_rule_view.py" line="229"/>
        <source>none: the rule needs only the gradient that came in</source>
        <translation>无：规则只需要传入的梯度</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tensor/chain_rule_view.py" line="233"/>
        <source>the rule gives nothing here</source>
        <translation>规则在这里不给出结果</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tensor/chain_rule_view.py" line="234"/>
        <source>largest difference from autograd {0:.3g} (relative {1:.3g})</source>
        <translation>与自动求导结果的最大差 {0:.3g}（相对误差 {1:.3g}）</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tensor/chain_rule_view.py" line="236"/>
        <source>Recomputed from the rule</source>
        <translation>按规则重新计算</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tensor/chain_rule_view.py" line="246"/>
        <source>None counts as 0</source>
        <translation>None 视为 0</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tensor/chain_rule_view.py" line="246"/>
        <source>the .grad held before</source>
        <translation>之前保存的 .grad</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tensor/chain_rule_view.py" line="249"/>
        <location filename="../../explorer/ui/tensor/chain_rule_view.py" line="250"/>
        <source>Worked element</source>
        <translation>逐项算出的元素</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tensor/chain_rule_view.py" line="249"/>
        <source>({0}, plus dL/dp that came in)</source>
        <translation>（{0}，加上传入的 dL/dp）</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tensor/chain_rule_view.py" line="257"/>
        <source>(the other {0} terms: {1})</source>
        <translation>（其余 {0} 项：{1}）</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tensor/chain_rule_view.py" line="258"/>
        <source>product</source>
        <translation>乘积</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tensor/chain_rule_view.py" line="258"/>
        <source>the other {0} terms</source>
        <translation>其余 {0} 项</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tensor/chain_rule_view.py" line="267"/>
        <source>the rule: {0:.6g}</source>
        <translation>规则：{0:.6g}</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tensor/chain_rule_view.py" line="271"/>
        <source>autograd: {0:.6g}</source>
        <translation>自动求导：{0:.6g}</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tensor/chain_rule_view.py" line="277"/>
        <source>L is the loss as this node sees it: Σ dL/dy · y(x), dL/dy held fixed</source>
        <translation>L 是这个节点看到的损失：Σ dL/dy · y(x)，dL/dy 保持不变</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tensor/chain_rule_view.py" line="278"/>
        <source>L is the model&apos;s loss, rerun in float64 with this element moved</source>
        <translation>L 是模型的损失，移动这个元素后以 float64 重新计算</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tensor/chain_rule_view.py" line="281"/>
        <source>autograd: {0:.6g}   relative error: {1:.2g}   ε = {2:.0e}</source>
        <translation>自动求导：{0:.6g}   相对误差：{1:.2g}   ε = {2:.0e}</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tensor/chain_rule_view.py" line="284"/>
        <source>A corner: the one-sided slopes are {0:.6g} and {1:.6g}.</source>
        <translation>拐点：单侧斜率为 {0:.6g} 和 {1:.6g}。</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tensor/chain_rule_view.py" line="285"/>
        <source>Numeric check</source>
        <translation>数值检查</translation>
    </message>
</context>
<context>
    <name>CheckpointController</name>
    <message>
        <location filename="../../explorer/ui/checkpoint/controller.py" line="54"/>
        <source>Checkpoint</source>
        <translation>检查点</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/checkpoint/controller.py" line="75"/>
        <source>&amp;Export checkpoint...</source>
        <translation>导出检查点(&amp;E)...</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/checkpoint/controller.py" line="79"/>
        <source>Save the model as .pt (weights, optimizer state, step), .safetensors (weights) or .onnx</source>
        <translation>把模型保存为 .pt（权重、优化器状态、步数）、.safetensors（权重）或 .onnx</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/checkpoint/controller.py" line="81"/>
        <source>Save the model as .pt (weights, optimizer state, step) or .safetensors (weights). ONNX is unavailable: {0}</source>
        <translation>把模型保存为 .pt（权重、优化器状态、步数）或 .safetensors（权重）。ONNX 不可用：{0}</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/checkpoint/controller.py" line="86"/>
        <source>&amp;Open checkpoint...</source>
        <translation>打开检查点(&amp;O)...</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/checkpoint/controller.py" line="89"/>
        <source>Show what a .pt or .safetensors file holds, then apply it to the model; no code in it runs</source>
        <translation>先显示 .pt 或 .safetensors 文件的内容，再把它应用到模型；文件中的任何代码都不会运行</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/checkpoint/controller.py" line="115"/>
        <location filename="../../explorer/ui/checkpoint/controller.py" line="204"/>
        <source>Export failed</source>
        <translation>导出失败</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/checkpoint/controller.py" line="118"/>
        <source>Exporting {0}...</source>
        <translation>正在导出 {0}...</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/checkpoint/controller.py" line="134"/>
        <source>Reading {0}...</source>
        <translation>正在读取 {0}...</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/checkpoint/controller.py" line="149"/>
        <source>Applying the checkpoint...</source>
        <translation>正在应用检查点...</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/checkpoint/controller.py" line="185"/>
        <source>Exported {0}</source>
        <translation>已导出 {0}</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/checkpoint/controller.py" line="193"/>
        <source>Loaded weights and optimizer state from {0} (step {1})</source>
        <translation>已从 {0} 载入权重和优化器状态（第 {1} 步）</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/checkpoint/controller.py" line="195"/>
        <source>Loaded weights from {0} (step {1})</source>
        <translation>已从 {0} 载入权重（第 {1} 步）</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/checkpoint/controller.py" line="206"/>
        <source>Cannot open checkpoint</source>
        <translation>无法打开检查点</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/checkpoint/controller.py" line="208"/>
        <source>Checkpoint not applied</source>
        <translation>检查点未应用</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/checkpoint/controller.py" line="211"/>
        <source>{0}

Nothing was changed.</source>
        <translation>{0}

没有做任何改动。</translation>
    </message>
</context>
<context>
    <name>CheckpointDialogs</name>
    <message>
        <location filename="../../explorer/ui/checkpoint/dialogs.py" line="44"/>
        <source>ONNX model (*.onnx)</source>
        <translation>ONNX 模型 (*.onnx)</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/checkpoint/dialogs.py" line="46"/>
        <source>ONNX - unavailable: {0} (*.onnx)</source>
        <translation>ONNX —— 不可用：{0} (*.onnx)</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/checkpoint/dialogs.py" line="48"/>
        <source>PyTorch checkpoint: weights, optimizer state, step (*.pt)</source>
        <translation>PyTorch 检查点：权重、优化器状态、步数 (*.pt)</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/checkpoint/dialogs.py" line="49"/>
        <source>safetensors: weights only (*.safetensors)</source>
        <translation>safetensors：仅权重 (*.safetensors)</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/checkpoint/dialogs.py" line="58"/>
        <source>Export checkpoint</source>
        <translation>导出检查点</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/checkpoint/dialogs.py" line="72"/>
        <source>Open checkpoint</source>
        <translation>打开检查点</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/checkpoint/dialogs.py" line="73"/>
        <source>Checkpoints (*.pt *.safetensors)</source>
        <translation>检查点 (*.pt *.safetensors)</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/checkpoint/dialogs.py" line="74"/>
        <source>All files (*)</source>
        <translation>所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/checkpoint/dialogs.py" line="94"/>
        <source>Quit explorer</source>
        <translation>退出 explorer</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/checkpoint/dialogs.py" line="96"/>
        <source>1 training step since the last export.</source>
        <translation>自上次导出以来训练了 1 步。</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/checkpoint/dialogs.py" line="98"/>
        <source>{0} training steps since the last export.</source>
        <translation>自上次导出以来训练了 {0} 步。</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/checkpoint/dialogs.py" line="100"/>
        <source>Export a checkpoint before quitting? Without one, the trained weights are lost.</source>
        <translation>退出前导出检查点吗？不导出的话，训练得到的权重会丢失。</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/checkpoint/dialogs.py" line="105"/>
        <source>Don&apos;t ask again when quitting</source>
        <translation>退出时不再询问</translation>
    </message>
</context>
<context>
    <name>CheckpointPreviewDialog</name>
    <message>
        <location filename="../../explorer/ui/checkpoint/dialogs.py" line="133"/>
        <source>Open checkpoint - {0}</source>
        <translation>打开检查点 - {0}</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/checkpoint/dialogs.py" line="154"/>
        <source>Warning: {0}</source>
        <translation>警告：{0}</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/checkpoint/dialogs.py" line="178"/>
        <source>&amp;Apply to model</source>
        <translation>应用到模型(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/checkpoint/dialogs.py" line="183"/>
        <source>The tensors in this file do not fit the model in the session</source>
        <translation>此文件中的张量与当前会话的模型不匹配</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/checkpoint/dialogs.py" line="192"/>
        <source>Fits the model in this session: {0} tensors, {1} values. Nothing changes until you apply.</source>
        <translation>与当前会话的模型匹配：{0} 个张量，{1} 个数值。在你点击应用之前不会有任何改动。</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/checkpoint/dialogs.py" line="194"/>
        <source>Does not fit the model in this session; nothing will be changed.</source>
        <translation>与当前会话的模型不匹配；不会做任何改动。</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/checkpoint/dialogs.py" line="195"/>
        <source>Missing in the file</source>
        <translation>文件中缺少</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/checkpoint/dialogs.py" line="195"/>
        <source>Not in the model</source>
        <translation>模型中没有</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/checkpoint/dialogs.py" line="196"/>
        <source>Wrong shape</source>
        <translation>形状不符</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/checkpoint/dialogs.py" line="200"/>
        <source>{0} ({1}): {2}</source>
        <translation>{0}（{1}）：{2}</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/checkpoint/dialogs.py" line="206"/>
        <source>n/a</source>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/checkpoint/dialogs.py" line="207"/>
        <source>Format:</source>
        <translation>格式：</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/checkpoint/dialogs.py" line="209"/>
        <source>Written by:</source>
        <translation>写入者：</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/checkpoint/dialogs.py" line="211"/>
        <source>Model:</source>
        <translation>模型：</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/checkpoint/dialogs.py" line="211"/>
        <location filename="../../explorer/ui/checkpoint/dialogs.py" line="212"/>
        <source>not named in the file</source>
        <translation>文件中未注明</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/checkpoint/dialogs.py" line="212"/>
        <source>Data set:</source>
        <translation>数据集：</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/checkpoint/dialogs.py" line="213"/>
        <source>Step:</source>
        <translation>步数：</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/checkpoint/dialogs.py" line="214"/>
        <source>Loss:</source>
        <translation>损失：</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/checkpoint/dialogs.py" line="217"/>
        <source>Metrics:</source>
        <translation>指标：</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/checkpoint/dialogs.py" line="219"/>
        <source>Hyperparameters:</source>
        <translation>超参数：</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/checkpoint/dialogs.py" line="221"/>
        <source>Optimizer state:</source>
        <translation>优化器状态：</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/checkpoint/dialogs.py" line="227"/>
        <source>.{0} file with no explorer metadata (written by another program)</source>
        <translation>没有 explorer 元数据的 .{0} 文件（由其他程序写入）</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/checkpoint/dialogs.py" line="228"/>
        <source>.{0} file, explorer format {1}</source>
        <translation>.{0} 文件，explorer 格式 {1}</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/checkpoint/dialogs.py" line="234"/>
        <source>none (.safetensors holds weights only); the session&apos;s optimizer keeps its state</source>
        <translation>无（.safetensors 只保存权重）；会话的优化器保留自己的状态</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/checkpoint/dialogs.py" line="235"/>
        <source>none saved; the session&apos;s optimizer keeps its state</source>
        <translation>未保存；会话的优化器保留自己的状态</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/checkpoint/dialogs.py" line="237"/>
        <source>{0}, state for {1} parameters</source>
        <translation>{0}，含 {1} 个参数的状态</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/checkpoint/dialogs.py" line="239"/>
        <source>{0}, no per-parameter state</source>
        <translation>{0}，没有逐参数的状态</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/checkpoint/dialogs.py" line="243"/>
        <source>{0}; applied with the weights, so training resumes where it stopped</source>
        <translation>{0}；与权重一起应用，训练会从停下的地方继续</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/checkpoint/dialogs.py" line="244"/>
        <source>{0}; not applied ({1}): weights only</source>
        <translation>{0}；未应用（{1}）：只应用权重</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/checkpoint/dialogs.py" line="250"/>
        <source>Tensor</source>
        <translation>张量</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/checkpoint/dialogs.py" line="250"/>
        <source>Shape in file</source>
        <translation>文件中的形状</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/checkpoint/dialogs.py" line="250"/>
        <source>Values</source>
        <translation>数值个数</translation>
    </message>
</context>
<context>
    <name>Closing</name>
    <message>
        <location filename="../../explorer/ui/window/closing.py" line="27"/>
        <source>Finishing the current step before closing...</source>
        <translation>正在完成当前这一步，然后关闭……</translation>
    </message>
</context>
<context>
    <name>CompareController</name>
    <message>
        <location filename="../../explorer/ui/checkpoint/compare_dialog.py" line="109"/>
        <source>&amp;Compare checkpoints...</source>
        <translation>比较检查点(&amp;C)...</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/checkpoint/compare_dialog.py" line="111"/>
        <source>Two checkpoints side by side: per tensor the norms, the relative change, the cosine similarity and a picture of the difference</source>
        <translation>并排比较两个检查点：每个张量的范数、相对变化、余弦相似度和差值的图像</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/checkpoint/compare_dialog.py" line="119"/>
        <source>Compare checkpoints: file {0}</source>
        <translation>比较检查点：文件 {0}</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/checkpoint/compare_dialog.py" line="119"/>
        <source>Checkpoints (*.pt *.safetensors)</source>
        <translation>检查点 (*.pt *.safetensors)</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/checkpoint/compare_dialog.py" line="144"/>
        <source>Cannot compare</source>
        <translation>无法比较</translation>
    </message>
</context>
<context>
    <name>CompareDialog</name>
    <message>
        <location filename="../../explorer/ui/checkpoint/compare_dialog.py" line="39"/>
        <source>Compare checkpoints</source>
        <translation>比较检查点</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/checkpoint/compare_dialog.py" line="42"/>
        <source>A: {0} (step {1})
B: {2} (step {3})</source>
        <translation>A：{0}（第 {1} 步）
B：{2}（第 {3} 步）</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/checkpoint/compare_dialog.py" line="53"/>
        <source>The two checkpoints hold different models:</source>
        <translation>两个检查点保存的是不同的模型：</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/checkpoint/compare_dialog.py" line="55"/>
        <source>... and {0} more</source>
        <translation>……还有 {0} 项</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/checkpoint/compare_dialog.py" line="60"/>
        <source>tensor</source>
        <translation>张量</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/checkpoint/compare_dialog.py" line="60"/>
        <source>shape</source>
        <translation>形状</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/checkpoint/compare_dialog.py" line="60"/>
        <source>norm A</source>
        <translation>A 的范数</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/checkpoint/compare_dialog.py" line="61"/>
        <source>norm B</source>
        <translation>B 的范数</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/checkpoint/compare_dialog.py" line="61"/>
        <source>change ‖B−A‖/‖A‖</source>
        <translation>变化 ‖B−A‖/‖A‖</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/checkpoint/compare_dialog.py" line="62"/>
        <source>cosine</source>
        <translation>余弦相似度</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/checkpoint/compare_dialog.py" line="91"/>
        <source>No tensor is in both files with the same shape.</source>
        <translation>没有哪个张量以相同形状同时出现在两个文件中。</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/checkpoint/compare_dialog.py" line="97"/>
        <source>too big to picture</source>
        <translation>太大，无法绘制</translation>
    </message>
</context>
<context>
    <name>CurvePlot</name>
    <message>
        <location filename="../../explorer/ui/training/curve_plot.py" line="52"/>
        <source>step</source>
        <translation>步</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/training/curve_plot.py" line="68"/>
        <source>▲ on the floor: exactly 0</source>
        <translation>底部的 ▲：恰好为 0</translation>
    </message>
</context>
<context>
    <name>DeviceMenus</name>
    <message>
        <location filename="../../explorer/ui/window/device_menus.py" line="16"/>
        <source>&amp;Device</source>
        <translation>设备(&amp;D)</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/window/device_menus.py" line="20"/>
        <source>CPU &amp;threads</source>
        <translation>CPU 线程数(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/window/device_menus.py" line="42"/>
        <source>Train and step on {0}</source>
        <translation>在 {0} 上训练和单步执行</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/window/device_menus.py" line="49"/>
        <source>On a busy or 2-core machine one thread is often several times faster for small models</source>
        <translation>在繁忙或只有 2 核的机器上，小模型用一个线程往往快好几倍</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/window/device_menus.py" line="63"/>
        <source>PyTorch uses {0} CPU thread(s) now</source>
        <translation>PyTorch 当前使用 {0} 个 CPU 线程</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/window/device_menus.py" line="69"/>
        <source>The model is on {0} now</source>
        <translation>模型当前在 {0} 上</translation>
    </message>
</context>
<context>
    <name>EdgeGradients</name>
    <message>
        <location filename="../../explorer/ui/graph/edge_gradients.py" line="127"/>
        <source>‖g‖ = {0:.3g}</source>
        <translation>‖g‖ = {0:.3g}</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/graph/edge_gradients.py" line="152"/>
        <source>gradient {0} → {1}</source>
        <translation>梯度 {0} → {1}</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/graph/edge_gradients.py" line="153"/>
        <source>shape {0}   norm {1:.4g}</source>
        <translation>形状 {0}   范数 {1:.4g}</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/graph/edge_gradients.py" line="155"/>
        <source>picture: its part {0}</source>
        <translation>图：它的 {0} 部分</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/graph/edge_gradients.py" line="157"/>
        <source>picture: one element in {0} along each side</source>
        <translation>图：每边每 {0} 个元素取一个</translation>
    </message>
</context>
<context>
    <name>Engine</name>
    <message>
        <location filename="../../explorer/ui/engine/run_messages.py" line="18"/>
        <source>Reset: fresh weights; the training run ended.</source>
        <translation>已重置：权重重新初始化；本次训练结束。</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/engine/engine.py" line="150"/>
        <source>{0} failed: {1}</source>
        <translation>{0} 失败：{1}</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/engine/engine.py" line="160"/>
        <source>Cannot inspect {0} {1}: {2}</source>
        <translation>无法查看 {0} {1}：{2}</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/engine/run_messages.py" line="19"/>
        <source>The model changed; the training run ended.</source>
        <translation>模型已更换；本次训练结束。</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/engine/run_messages.py" line="21"/>
        <source>Training stopped at step {0}: step {1} failed: {2}</source>
        <translation>训练在第 {0} 步停止：第 {1} 步失败：{2}</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/engine/engine.py" line="365"/>
        <source>Cannot show the model&apos;s state: {0}</source>
        <translation>无法显示模型的状态：{0}</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/engine/run_messages.py" line="13"/>
        <source>Stopped at step {0}.</source>
        <translation>在第 {0} 步停止。</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/engine/engine.py" line="244"/>
        <source>Cannot move the model to {0}: {1}</source>
        <translation>无法把模型移到 {0}：{1}</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/engine/run_messages.py" line="20"/>
        <source>The model moved to {0}; the training run ended.</source>
        <translation>模型已移到 {0}；本次训练结束。</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/engine/run_messages.py" line="14"/>
        <source>Finished: {0} steps.</source>
        <translation>完成：共 {0} 步。</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/engine/run_messages.py" line="15"/>
        <source>Accuracy: train {0:.1%}, test {1:.1%}.</source>
        <translation>准确率：训练集 {0:.1%}，测试集 {1:.1%}。</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/engine/run_messages.py" line="22"/>
        <source>Paused at step {0}: a non-finite value (NaN or Inf) appeared in {1}. The weights themselves are no longer finite, so Resume cannot help: press Reset for fresh weights, or open a checkpoint.</source>
        <translation>在第 {0} 步暂停：{1} 中出现了非有限值（NaN 或 Inf）。权重本身已不再是有限值，“继续”无济于事：请按“重置”重新初始化权重，或打开一个检查点。</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/engine/run_messages.py" line="25"/>
        <source>Paused at step {0}: a non-finite value (NaN or Inf) appeared in {1}. That step&apos;s update was not applied. Lower the learning rate and press Resume, or Reset for fresh weights.</source>
        <translation>在第 {0} 步暂停：{1} 中出现了非有限值（NaN 或 Inf）。这一步的更新没有应用。请降低学习率后按“继续”，或按“重置”重新初始化权重。</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/engine/run_messages.py" line="16"/>
        <source>Paused at step {0}.</source>
        <translation>在第 {0} 步暂停。</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/engine/run_messages.py" line="17"/>
        <source>Test accuracy {0:.1%}.</source>
        <translation>测试集准确率 {0:.1%}。</translation>
    </message>
</context>
<context>
    <name>EngineError</name>
    <message>
        <location filename="../../explorer/ui/window/error_box.py" line="16"/>
        <source>Something failed</source>
        <translation>出错了</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/window/error_box.py" line="21"/>
        <source>The model keeps the weights it had; every control can be used again.</source>
        <translation>模型保留原有的权重；所有控件都可以再次使用。</translation>
    </message>
</context>
<context>
    <name>GraphDock</name>
    <message>
        <location filename="../../explorer/ui/graph/dock.py" line="106"/>
        <source>Autograd graph</source>
        <translation>自动求导计算图</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/graph/dock.py" line="118"/>
        <source>Fit</source>
        <translation>适应窗口</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/graph/dock.py" line="122"/>
        <source>Zoom in</source>
        <translation>放大</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/graph/dock.py" line="122"/>
        <source>Zoom in (or use the mouse wheel)</source>
        <translation>放大（也可以用鼠标滚轮）</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/graph/dock.py" line="124"/>
        <source>Zoom out</source>
        <translation>缩小</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/graph/dock.py" line="124"/>
        <source>Zoom out (or use the mouse wheel)</source>
        <translation>缩小（也可以用鼠标滚轮）</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/graph/dock.py" line="127"/>
        <source>Expand all</source>
        <translation>全部展开</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/graph/dock.py" line="127"/>
        <source>Open every module: all the nodes</source>
        <translation>展开所有模块：显示全部节点</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/graph/dock.py" line="129"/>
        <location filename="../../explorer/ui/graph/dock.py" line="131"/>
        <source>Collapse to depth</source>
        <translation>折叠到深度</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/graph/dock.py" line="132"/>
        <source>Show modules down to a depth of the module tree as boxes</source>
        <translation>把模块树中到某一深度的模块显示为方框</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/graph/dock.py" line="136"/>
        <source>Find</source>
        <translation>查找</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/graph/dock.py" line="136"/>
        <source>Find nodes by class, module or parameter (Ctrl+F)</source>
        <translation>按类名、模块或参数查找节点（Ctrl+F）</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/graph/dock.py" line="141"/>
        <source>Export PNG...</source>
        <translation>导出 PNG...</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/graph/dock.py" line="141"/>
        <source>Save the graph as shown as a PNG image</source>
        <translation>将当前显示的计算图保存为 PNG 图片</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/graph/dock.py" line="143"/>
        <source>Save the graph as shown as an SVG drawing</source>
        <translation>将当前显示的计算图保存为 SVG 矢量图</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/graph/dock.py" line="206"/>
        <source>Top level (depth 1)</source>
        <translation>顶层（深度 1）</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/graph/dock.py" line="206"/>
        <source>Depth {0}</source>
        <translation>深度 {0}</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/graph/dock.py" line="143"/>
        <source>Export SVG...</source>
        <translation>导出 SVG...</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/graph/dock.py" line="118"/>
        <source>Fit the graph into view, down to a size where its labels stay readable</source>
        <translation>缩放使计算图适应窗口，但不小于标签仍可读的大小</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/graph/dock.py" line="120"/>
        <source>Whole graph</source>
        <translation>整张图</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/graph/dock.py" line="120"/>
        <source>Zoom out until the whole graph is in view, however small its labels get</source>
        <translation>缩小到能看到整张计算图，标签再小也不管</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/graph/dock.py" line="220"/>
        <source>forward</source>
        <translation>forward</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/graph/dock.py" line="226"/>
        <source>and {0} more</source>
        <translation>以及另外 {0} 个</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/graph/dock.py" line="227"/>
        <source>Colour: module that made the node</source>
        <translation>颜色：创建该节点的模块</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/graph/dock.py" line="228"/>
        <source>done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/graph/dock.py" line="228"/>
        <source>running now</source>
        <translation>正在运行</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/graph/dock.py" line="231"/>
        <source>arrows: the way gradients flow</source>
        <translation>箭头：梯度流动的方向</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/graph/dock.py" line="233"/>
        <source>stacked boxes: modules, double-click to open</source>
        <translation>叠放的方框：模块，双击展开</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/graph/dock.py" line="256"/>
        <source>Export failed</source>
        <translation>导出失败</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/graph/dock.py" line="257"/>
        <source>The graph was not saved to {0}.
{1}</source>
        <translation>计算图没有保存到 {0}。
{1}</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/graph/dock.py" line="265"/>
        <source>Export the graph as PNG</source>
        <translation>把计算图导出为 PNG</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/graph/dock.py" line="265"/>
        <source>PNG images (*.png)</source>
        <translation>PNG 图片 (*.png)</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/graph/dock.py" line="267"/>
        <source>Export the graph as SVG</source>
        <translation>把计算图导出为 SVG</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/graph/dock.py" line="267"/>
        <source>SVG drawings (*.svg)</source>
        <translation>SVG 矢量图 (*.svg)</translation>
    </message>
</context>
<context>
    <name>GraphSearchBar</name>
    <message>
        <location filename="../../explorer/ui/graph/dock.py" line="37"/>
        <source>Find: node class, module or parameter name</source>
        <translation>查找：节点类名、模块或参数名</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/graph/dock.py" line="39"/>
        <source>Previous match (Shift+Enter, Shift+F3)</source>
        <translation>上一个匹配（Shift+Enter、Shift+F3）</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/graph/dock.py" line="40"/>
        <source>Next match (Enter, F3)</source>
        <translation>下一个匹配（Enter、F3）</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/graph/dock.py" line="43"/>
        <source>Close the search (Esc)</source>
        <translation>关闭搜索（Esc）</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/graph/dock.py" line="92"/>
        <source>no match</source>
        <translation>无匹配</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/graph/dock.py" line="94"/>
        <source>{0} matches</source>
        <translation>{0} 个匹配</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/graph/dock.py" line="94"/>
        <source>1 match</source>
        <translation>1 个匹配</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/graph/dock.py" line="96"/>
        <source>{0} of {1}</source>
        <translation>第 {0} 个，共 {1} 个</translation>
    </message>
</context>
<context>
    <name>HistogramPlot</name>
    <message>
        <location filename="../../explorer/ui/tensor/histogram.py" line="23"/>
        <source>count</source>
        <translation>计数</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/training/histogram_plot.py" line="31"/>
        <source>Which tensor&apos;s histograms to show</source>
        <translation>显示哪个张量的直方图</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/training/histogram_plot.py" line="36"/>
        <source>step</source>
        <translation>步</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/training/histogram_plot.py" line="43"/>
        <source>no histograms yet</source>
        <translation>还没有直方图</translation>
    </message>
</context>
<context>
    <name>ImagePlot</name>
    <message>
        <location filename="../../explorer/ui/tensor/image_plot.py" line="155"/>
        <source>rows ({0})</source>
        <translation>行（{0}）</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tensor/image_plot.py" line="156"/>
        <source>columns ({0})</source>
        <translation>列（{0}）</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tensor/image_plot.py" line="162"/>
        <source>{0} tiles of {1}×{2} ({3} 0-{4}, {5} 0)</source>
        <translation>{0} 个 {1}×{2} 小图（{3} 0-{4}，{5} 0）</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tensor/image_plot.py" line="165"/>
        <source>{0} × {1} tiles of {2}×{3} (rows: {4}, columns: {5})</source>
        <translation>{0} × {1} 个 {2}×{3} 小图（行：{4}，列：{5}）</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tensor/image_plot.py" line="168"/>
        <source>{0} maps of {1}×{2}</source>
        <translation>{0} 张 {1}×{2} 特征图</translation>
    </message>
</context>
<context>
    <name>InspectorDock</name>
    <message>
        <location filename="../../explorer/ui/tensor/inspector_dock.py" line="81"/>
        <source>Inspector</source>
        <translation>检查器</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tensor/inspector_dock.py" line="91"/>
        <location filename="../../explorer/ui/tensor/inspector_dock.py" line="199"/>
        <source>choose a tensor</source>
        <translation>选择一个张量</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tensor/inspector_dock.py" line="97"/>
        <source>Pin</source>
        <translation>固定</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tensor/inspector_dock.py" line="98"/>
        <source>Keep showing this tensor while stepping. Unpinned, the inspector follows the layer or autograd node that runs at each step.</source>
        <translation>单步执行时一直显示这个张量。不固定时，检查器会跟随每一步运行的层或 autograd 节点。</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tensor/inspector_dock.py" line="111"/>
        <source>Choose a parameter above, or click a layer, a graph node or an activation to see its numbers.</source>
        <translation>在上方选择一个参数，或点击某一层、计算图中的节点或某个激活值，查看它的数值。</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tensor/inspector_dock.py" line="135"/>
        <source>Inspect:</source>
        <translation>查看：</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tensor/inspector_dock.py" line="163"/>
        <source>{0}  {1}</source>
        <translation>{0}  {1}</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tensor/inspector_dock.py" line="164"/>
        <source>input</source>
        <translation>输入</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tensor/inspector_dock.py" line="271"/>
        <source>Not computed in the current pass yet; it appears again when it is.</source>
        <translation>本轮计算还没有算到这里；算出后会再次显示。</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tensor/inspector_dock.py" line="293"/>
        <source>out</source>
        <translation>输出通道</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tensor/inspector_dock.py" line="293"/>
        <source>in</source>
        <translation>输入通道</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tensor/inspector_dock.py" line="293"/>
        <source>sample</source>
        <translation>样本</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tensor/inspector_dock.py" line="293"/>
        <source>channel</source>
        <translation>通道</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tensor/inspector_dock.py" line="307"/>
        <source>{0}.grad</source>
        <translation>{0}.grad</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tensor/inspector_dock.py" line="307"/>
        <source>before update</source>
        <translation>更新前</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tensor/inspector_dock.py" line="308"/>
        <source>change: after - before</source>
        <translation>变化量：更新后 - 更新前</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tensor/inspector_dock.py" line="311"/>
        <source>None - no backward since the start or zero_grad</source>
        <translation>None - 自开始或 zero_grad 以来还没有运行 backward</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tensor/inspector_dock.py" line="313"/>
        <source>(no tensor)</source>
        <translation>（无张量）</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../explorer/ui/main_window.py" line="63"/>
        <source>Watch a network think and learn</source>
        <translation>看神经网络如何思考与学习</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/main_window.py" line="134"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/main_window.py" line="135"/>
        <source>Quit explorer</source>
        <translation>退出 explorer</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/main_window.py" line="136"/>
        <source>&amp;About explorer</source>
        <translation>关于 explorer(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/main_window.py" line="137"/>
        <source>&amp;Guided tutorial</source>
        <translation>引导教程(&amp;G)</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/main_window.py" line="139"/>
        <source>Walk through the tutorial page, running each cell in the app</source>
        <translation>逐步学习教程页面，并在应用中运行每个代码单元</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/main_window.py" line="149"/>
        <source>Reset &amp;layout</source>
        <translation>重置布局(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/main_window.py" line="150"/>
        <source>Put every panel back where it started</source>
        <translation>把所有面板放回初始位置</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/main_window.py" line="156"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/main_window.py" line="158"/>
        <source>&amp;Step</source>
        <translation>单步(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/main_window.py" line="163"/>
        <source>&amp;Data</source>
        <translation>数据(&amp;D)</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/main_window.py" line="163"/>
        <source>&amp;Optimizer</source>
        <translation>优化器(&amp;O)</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/main_window.py" line="164"/>
        <source>&amp;Training</source>
        <translation>训练(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/main_window.py" line="169"/>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/main_window.py" line="174"/>
        <source>&amp;Language / 语言</source>
        <translation>语言 / &amp;Language</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/main_window.py" line="176"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/main_window.py" line="186"/>
        <source>Step</source>
        <translation>单步</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/main_window.py" line="193"/>
        <source>Training</source>
        <translation>训练</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/main_window.py" line="199"/>
        <source>starting...</source>
        <translation>正在启动...</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/phrases.py" line="93"/>
        <source>{0} (raised from {1})</source>
        <translation>{0}（由 {1} 调高）</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/phrases.py" line="95"/>
        <source>{0} (cut from {1})</source>
        <translation>{0}（由 {1} 减少）</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/phrases.py" line="96"/>
        <source>{0} | batch {1} | {2}, lr {3}</source>
        <translation>{0} | 批量 {1} | {2}，学习率 {3}</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/phrases.py" line="99"/>
        <source> | eval mode</source>
        <translation> | 评估模式</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/window/about.py" line="10"/>
        <source>About explorer</source>
        <translation>关于 explorer</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/window/about.py" line="10"/>
        <source>&lt;b&gt;explorer&lt;/b&gt; steps through a PyTorch network&apos;s forward and backward passes one layer and one autograd node at a time, and shows every weight, gradient and activation on the way.&lt;br&gt;&lt;br&gt;It grew out of the PyTorch tutorial &quot;Neural Networks&quot; (Chinese edition).</source>
        <translation>&lt;b&gt;explorer&lt;/b&gt; 逐层单步执行 PyTorch 网络的前向传播，逐个自动求导节点单步执行反向传播，并显示沿途的每一个权重、梯度和激活值。&lt;br&gt;&lt;br&gt;它源自 PyTorch 中文教程《神经网络》。</translation>
    </message>
</context>
<context>
    <name>ModelDataController</name>
    <message>
        <location filename="../../explorer/ui/open/controller.py" line="56"/>
        <source>Open &amp;model...</source>
        <translation>打开模型(&amp;M)...</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/open/controller.py" line="57"/>
        <source>A built-in model or your own nn.Module from a Python file</source>
        <translation>内置模型，或 Python 文件中你自己的 nn.Module</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/open/controller.py" line="59"/>
        <source>Open &amp;data...</source>
        <translation>打开数据(&amp;D)...</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/open/controller.py" line="60"/>
        <source>Digits, the tutorial&apos;s input, MNIST files or an image folder</source>
        <translation>手写数字、教程的输入、MNIST 文件或图像文件夹</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/open/controller.py" line="108"/>
        <source>Opening {0}...</source>
        <translation>正在打开 {0}...</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/open/controller.py" line="112"/>
        <source>Opened {0}</source>
        <translation>已打开 {0}</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/open/controller.py" line="121"/>
        <source>Could not open the model</source>
        <translation>无法打开模型</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/open/controller.py" line="121"/>
        <source>Could not open the data</source>
        <translation>无法打开数据</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/open/controller.py" line="128"/>
        <source>explorer keeps the model and data it had.</source>
        <translation>explorer 保留原来的模型和数据。</translation>
    </message>
</context>
<context>
    <name>ModelDock</name>
    <message>
        <location filename="../../explorer/ui/model_dock.py" line="21"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/model_dock.py" line="30"/>
        <source>Module / parameter</source>
        <translation>模块 / 参数</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/model_dock.py" line="30"/>
        <source>Shape</source>
        <translation>形状</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/model_dock.py" line="30"/>
        <source>Parameters</source>
        <translation>参数量</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/model_dock.py" line="56"/>
        <source>{0}: {1} parameter tensors, {2} parameters</source>
        <translation>{0}：{1} 个参数张量，共 {2} 个参数</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/model_dock.py" line="75"/>
        <source>Click to inspect {0} and its gradient</source>
        <translation>点击查看 {0} 及其梯度</translation>
    </message>
</context>
<context>
    <name>Notes</name>
    <message>
        <location filename="../../explorer/ui/phrases.py" line="28"/>
        <source>{0}.grad is None (no backward has written it since the start or zero_grad)</source>
        <translation>{0}.grad 为 None（自开始或 zero_grad 以来还没有 backward 写入它）</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/phrases.py" line="29"/>
        <source>updated by {0} with lr={1}</source>
        <translation>已由 {0} 以学习率 {1} 更新</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/phrases.py" line="30"/>
        <source>saved {0}: {1}</source>
        <translation>保存的 {0}：{1}</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/phrases.py" line="31"/>
        <source>not run yet at this step of the backward pass</source>
        <translation>反向传播进行到这一步时，它还没有运行</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/phrases.py" line="32"/>
        <source>ran as backward step {0}</source>
        <translation>在反向传播第 {0} 步运行</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/phrases.py" line="33"/>
        <source>the chain rule could not be worked here: {0}</source>
        <translation>这里无法逐项算出链式法则：{0}</translation>
    </message>
</context>
<context>
    <name>Notices</name>
    <message>
        <location filename="../../explorer/ui/phrases.py" line="36"/>
        <source>batch size {0} -&gt; {1}: &apos;{2}&apos; has only {3} training samples</source>
        <translation>批量大小 {0} -&gt; {1}：“{2}”只有 {3} 个训练样本</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/phrases.py" line="37"/>
        <source>batch size {0} -&gt; 1: &apos;{1}&apos; has only 1 training sample</source>
        <translation>批量大小 {0} -&gt; 1：“{1}”只有 1 个训练样本</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/phrases.py" line="38"/>
        <source>batch size 1 -&gt; 2: this model&apos;s batch norm needs 2 samples in training mode (or open it in eval mode)</source>
        <translation>批量大小 1 -&gt; 2：此模型的批归一化在训练模式下需要 2 个样本（也可以用评估模式打开它）</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/phrases.py" line="40"/>
        <source>training batch size 1 -&gt; 2: the model&apos;s batch norm needs more than one value per channel, and training always trains in training mode</source>
        <translation>训练批量大小 1 -&gt; 2：模型的批归一化每个通道需要不止一个值，而训练始终在训练模式下进行</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/phrases.py" line="42"/>
        <source>Train mode needs a batch of 2 for this model&apos;s batch norm: choose Data &gt; Batch size 2 first</source>
        <translation>此模型的批归一化在训练模式下需要 2 个样本的批量：请先选择“数据 &gt; 批量大小”设为 2</translation>
    </message>
</context>
<context>
    <name>OpenDataDialog</name>
    <message>
        <location filename="../../explorer/ui/open/data_dialog.py" line="23"/>
        <source>Open data</source>
        <translation>打开数据</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/open/data_dialog.py" line="31"/>
        <source>&amp;Digits: 1,797 handwritten 8×8 digits (classification)</source>
        <translation>手写数字(&amp;D)：1,797 张 8×8 手写数字（分类）</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/open/data_dialog.py" line="32"/>
        <source>&amp;Tutorial: one random input, target 1..10 (MSELoss)</source>
        <translation>教程(&amp;T)：一个随机输入，目标 1..10（MSELoss）</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/open/data_dialog.py" line="33"/>
        <source>&amp;MNIST-format folder: IDX files, optionally .gz</source>
        <translation>MNIST 格式文件夹(&amp;M)：IDX 文件，可为 .gz</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/open/data_dialog.py" line="34"/>
        <source>&amp;Image folder: one subfolder of PNG or JPEG images per class</source>
        <translation>图像文件夹(&amp;I)：每个类别一个子文件夹，内含 PNG 或 JPEG 图像</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/open/data_dialog.py" line="44"/>
        <source>folder</source>
        <translation>文件夹</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/open/data_dialog.py" line="45"/>
        <source>Browse...</source>
        <translation>浏览...</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/open/data_dialog.py" line="49"/>
        <source>An MNIST folder holds train-images-idx3-ubyte and train-labels-idx1-ubyte, and t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte for testing. Images are brought to the model&apos;s input size and channels: MNIST&apos;s 28×28 is padded to 32×32 for the tutorial&apos;s Net, other sizes are resized. An image folder with train/ and test/ subfolders gives that split; otherwise every fifth image of each class is kept for testing.</source>
        <translation>MNIST 文件夹包含 train-images-idx3-ubyte 和 train-labels-idx1-ubyte，以及用于测试的 t10k-images-idx3-ubyte 和 t10k-labels-idx1-ubyte。图像会被调整为模型的输入尺寸和通道数：对教程的 Net，MNIST 的 28×28 四周补边到 32×32，其他尺寸则缩放。带 train/ 和 test/ 子文件夹的图像文件夹按此划分；否则每个类别每第五张图像留作测试。</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/open/data_dialog.py" line="96"/>
        <source>Choose a data folder</source>
        <translation>选择数据文件夹</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/open/data_dialog.py" line="120"/>
        <source>Choose a folder.</source>
        <translation>请选择一个文件夹。</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/open/data_dialog.py" line="123"/>
        <source>{0}: no such folder</source>
        <translation>{0}：文件夹不存在</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/open/data_dialog.py" line="125"/>
        <source>{0}: no train-images-idx3-ubyte and train-labels-idx1-ubyte files (optionally .gz)</source>
        <translation>{0}：没有 train-images-idx3-ubyte 和 train-labels-idx1-ubyte 文件（可为 .gz）</translation>
    </message>
</context>
<context>
    <name>OpenModelDialog</name>
    <message>
        <location filename="../../explorer/ui/open/model_dialog.py" line="56"/>
        <source>Open model</source>
        <translation>打开模型</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/open/model_dialog.py" line="65"/>
        <source>&amp;Built-in model</source>
        <translation>内置模型(&amp;B)</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/open/model_dialog.py" line="66"/>
        <source>Your own model from a &amp;Python file</source>
        <translation>来自 Python 文件的自定义模型(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/open/model_dialog.py" line="74"/>
        <source>seed: the tutorial&apos;s Net (LeNet-style, fc1 400→1200)</source>
        <translation>seed：教程的 Net（LeNet 风格，fc1 400→1200）</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/open/model_dialog.py" line="75"/>
        <source>resnet: a small ResNet with batch norm and skip connections</source>
        <translation>resnet：带批归一化和跳跃连接的小型 ResNet</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/open/model_dialog.py" line="76"/>
        <source>mlp: a multilayer perceptron (flatten, 128 hidden units, 10 scores)</source>
        <translation>mlp：多层感知机（展平，128 个隐藏单元，10 个分数）</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/open/model_dialog.py" line="82"/>
        <source>path/to/model.py</source>
        <translation>path/to/model.py</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/open/model_dialog.py" line="84"/>
        <source>B&amp;rowse...</source>
        <translation>浏览(&amp;R)...</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/open/model_dialog.py" line="91"/>
        <source>&lt;b&gt;The file runs as Python code&lt;/b&gt; when the model is opened, with your permissions, like &lt;code&gt;python model.py&lt;/code&gt; would. Open only files you trust.</source>
        <translation>打开模型时，&lt;b&gt;该文件会作为 Python 代码运行&lt;/b&gt;，拥有你的权限，就像 &lt;code&gt;python model.py&lt;/code&gt; 一样。只打开你信任的文件。</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/open/model_dialog.py" line="100"/>
        <source>e.g. 1,28,28</source>
        <translation>例如 1,28,28</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/open/model_dialog.py" line="102"/>
        <source>One sample, without the batch dimension. Leave it empty for the built-in model&apos;s shape or the data&apos;s own; data is brought to it (images are padded or resized).</source>
        <translation>单个样本的形状，不含批次维度。留空则使用内置模型的形状或数据本身的形状；数据会被调整到该形状（图像补边或缩放）。</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/open/model_dialog.py" line="106"/>
        <source>e.g. logits</source>
        <translation>例如 logits</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/open/model_dialog.py" line="108"/>
        <source>For a model that returns a tuple, dict or Hugging Face output: the entry that is the prediction (a key, a field or an index). Leave it empty for a tensor, an entry called logits, or a tuple&apos;s first tensor; any other output is refused and its entries listed.</source>
        <translation>用于返回 tuple、dict 或 Hugging Face 输出的模型：作为预测的那一项（键、字段或索引）。留空时取张量本身、名为 logits 的项或 tuple 的第一个张量；其他输出会被拒绝，并列出其中各项。</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/open/model_dialog.py" line="112"/>
        <source>&amp;Training mode</source>
        <translation>训练模式(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/open/model_dialog.py" line="114"/>
        <source>&amp;Eval mode</source>
        <translation>评估模式(&amp;E)</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/open/model_dialog.py" line="120"/>
        <source>Eval mode is model.eval(): dropout off, batch norm on its running statistics, so a batch of one sample works. In training mode a batch-norm model may need two samples (the batch is raised and the status bar says so). Training (Train) always runs in training mode; Training &gt; Train mode switches later.</source>
        <translation>评估模式即 model.eval()：关闭 dropout，批归一化使用其运行统计量，因此单个样本的批量也能运行。训练模式下，带批归一化的模型可能需要两个样本（批量会被调高，状态栏会说明）。训练（Train）始终在训练模式下进行；之后可用“训练 &gt; 训练模式”切换。</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/open/model_dialog.py" line="130"/>
        <source>File:</source>
        <translation>文件：</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/open/model_dialog.py" line="131"/>
        <source>Class:</source>
        <translation>类：</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/open/model_dialog.py" line="134"/>
        <source>Constructor arguments (JSON):</source>
        <translation>构造参数（JSON）：</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/open/model_dialog.py" line="135"/>
        <source>Input shape:</source>
        <translation>输入形状：</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/open/model_dialog.py" line="137"/>
        <source>Prediction output:</source>
        <translation>预测输出：</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/open/model_dialog.py" line="143"/>
        <source>Step in:</source>
        <translation>单步运行于：</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/open/model_dialog.py" line="189"/>
        <source>Cannot list its classes: {0}</source>
        <translation>无法列出其中的类：{0}</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/open/model_dialog.py" line="196"/>
        <source>nn.Module classes in this file: {0}</source>
        <translation>此文件中的 nn.Module 类：{0}</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/open/model_dialog.py" line="198"/>
        <source>No nn.Module class found by reading the file; type the class name.</source>
        <translation>读取文件未找到 nn.Module 类；请输入类名。</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/open/model_dialog.py" line="205"/>
        <source>Open a model file</source>
        <translation>打开模型文件</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/open/model_dialog.py" line="206"/>
        <source>Python files (*.py);;All files (*)</source>
        <translation>Python 文件 (*.py);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/open/model_dialog.py" line="243"/>
        <source>Choose a Python file.</source>
        <translation>请选择一个 Python 文件。</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/open/model_dialog.py" line="245"/>
        <source>{0}: no such file</source>
        <translation>{0}：文件不存在</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/open/model_dialog.py" line="247"/>
        <source>Choose or type the name of the model&apos;s class.</source>
        <translation>请选择或输入模型的类名。</translation>
    </message>
</context>
<context>
    <name>RankOverlay</name>
    <message>
        <location filename="../../explorer/ui/runs/dock.py" line="35"/>
        <source>step</source>
        <translation>步</translation>
    </message>
</context>
<context>
    <name>RecentFiles</name>
    <message>
        <location filename="../../explorer/ui/checkpoint/recent_files.py" line="27"/>
        <source>Open &amp;recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/checkpoint/recent_files.py" line="62"/>
        <source>&amp;{0} {1}</source>
        <translation>&amp;{0} {1}</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/checkpoint/recent_files.py" line="63"/>
        <source>{0} (missing)</source>
        <translation>{0}（不存在）</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/checkpoint/recent_files.py" line="64"/>
        <source>{0} no longer exists</source>
        <translation>{0} 已不存在</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/checkpoint/recent_files.py" line="70"/>
        <source>&amp;Clear list</source>
        <translation>清空列表(&amp;C)</translation>
    </message>
</context>
<context>
    <name>RunDock</name>
    <message>
        <location filename="../../explorer/ui/runs/dock.py" line="74"/>
        <source>Run</source>
        <translation>运行记录</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/runs/dock.py" line="79"/>
        <source>No run open. File &gt; Open run... picks a folder written by explorer.watch.</source>
        <translation>尚未打开运行记录。“文件 &gt; 打开运行记录...”可选择 explorer.watch 写入的文件夹。</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/runs/dock.py" line="84"/>
        <source>Curves panel shows</source>
        <translation>曲线面板显示</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/runs/dock.py" line="87"/>
        <source>The rank whose records the Run curves panel draws; the plots below overlay every rank</source>
        <translation>“运行曲线”面板绘制其记录的进程（rank）；下方的图叠加显示所有进程</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/runs/dock.py" line="104"/>
        <source>Loss, every rank</source>
        <translation>损失，所有进程</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/runs/dock.py" line="104"/>
        <source>loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/runs/dock.py" line="105"/>
        <source>Gradient norm (all parameters), every rank</source>
        <translation>梯度范数（全部参数），所有进程</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/runs/dock.py" line="107"/>
        <source>Each rank trains on its own batches: losses differ a little, and a rank whose loss runs away from the others is diverging</source>
        <translation>每个进程用自己的批次训练：损失略有不同；损失远离其他进程的那个进程正在发散</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/runs/dock.py" line="109"/>
        <source>After DistributedDataParallel averages the gradients, every rank&apos;s norm is the same: curves that part mean ranks out of step</source>
        <translation>DistributedDataParallel 对梯度求平均后，每个进程的范数都相同：曲线分开说明进程之间不同步</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/runs/dock.py" line="121"/>
        <source>Run {0}</source>
        <translation>运行记录 {0}</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/runs/dock.py" line="123"/>
        <source>Reading...</source>
        <translation>正在读取...</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/runs/dock.py" line="134"/>
        <location filename="../../explorer/ui/runs/dock.py" line="141"/>
        <source>rank {0}</source>
        <translation>进程 {0}</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/runs/dock.py" line="153"/>
        <source>Parameters:</source>
        <translation>参数：</translation>
    </message>
</context>
<context>
    <name>RunView</name>
    <message>
        <location filename="../../explorer/ui/window/run_view.py" line="29"/>
        <source>Open &amp;run...</source>
        <translation>打开运行记录(&amp;R)...</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/window/run_view.py" line="31"/>
        <source>Follow a training run recorded with explorer.watch(model, DIR)</source>
        <translation>跟踪用 explorer.watch(model, DIR) 记录的训练运行</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/window/run_view.py" line="48"/>
        <source>Open run</source>
        <translation>打开运行记录</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/window/run_view.py" line="61"/>
        <source>Reading {0}...</source>
        <translation>正在读取 {0}...</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/window/run_view.py" line="80"/>
        <source>Run curves</source>
        <translation>运行曲线</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/window/run_view.py" line="81"/>
        <source>watcher.log(accuracy=...) draws the accuracy here</source>
        <translation>调用 watcher.log(accuracy=...) 后，准确率会画在这里</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/window/run_view.py" line="125"/>
        <source>The run cannot be read.</source>
        <translation>无法读取该运行记录。</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/window/run_view.py" line="148"/>
        <source>No rank file (rank-*.sqlite) yet; waiting for the run to start.</source>
        <translation>还没有进程文件（rank-*.sqlite）；正在等待运行开始。</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/window/run_view.py" line="151"/>
        <source>rank {0} at step {1:,}</source>
        <translation>进程 {0} 在第 {1:,} 步</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/window/run_view.py" line="152"/>
        <source>{0} of {1} rank(s): {2}.</source>
        <translation>{1} 个进程中的 {0} 个：{2}。</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/window/run_view.py" line="155"/>
        <source>No new records for {0:.0f} s: the run has finished or is paused.</source>
        <translation>已有 {0:.0f} 秒没有新记录：运行已结束或已暂停。</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/window/run_view.py" line="157"/>
        <source>Following the run as it is written.</source>
        <translation>正在随写入跟踪该运行。</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/window/run_view.py" line="164"/>
        <source>Rank {0}: {1:,} steps read; gradient norms on {2:,} of them, histograms, update ratios and dead ReLUs on {3:,} (as often as the watcher&apos;s time share allowed).</source>
        <translation>进程 {0}：已读取 {1:,} 步；其中 {2:,} 步有梯度范数，{3:,} 步有直方图、更新比例和失活 ReLU（在观察器的时间份额允许的范围内）。</translation>
    </message>
</context>
<context>
    <name>RunsList</name>
    <message>
        <location filename="../../explorer/ui/training/runs_list.py" line="41"/>
        <source>&lt;b&gt;Runs&lt;/b&gt; (tick to compare)</source>
        <translation>&lt;b&gt;训练记录&lt;/b&gt;（勾选以比较）</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/training/runs_list.py" line="47"/>
        <source>Runs of this session, kept when the next run starts, and runs opened with a checkpoint. Tick to overlay; double-click to rename.</source>
        <translation>本次会话的训练记录（开始下一次训练时保留）以及随检查点打开的记录。勾选以叠加显示；双击以重命名。</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/training/runs_list.py" line="50"/>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/training/runs_list.py" line="52"/>
        <source>Export...</source>
        <translation>导出...</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/training/runs_list.py" line="53"/>
        <source>Save the chosen run&apos;s curves as CSV, or as a TensorBoard event file</source>
        <translation>将所选训练记录的曲线保存为 CSV 或 TensorBoard 事件文件</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/training/runs_list.py" line="104"/>
        <source>Cannot rename the run</source>
        <translation>无法重命名训练记录</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/training/runs_list.py" line="118"/>
        <source>Nothing to export</source>
        <translation>没有可导出的内容</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/training/runs_list.py" line="118"/>
        <source>Train a run first, or choose one in the list.</source>
        <translation>请先训练一次，或在列表中选择一条记录。</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/training/runs_list.py" line="120"/>
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/training/runs_list.py" line="121"/>
        <source>TensorBoard event file (a folder)</source>
        <translation>TensorBoard 事件文件（一个文件夹）</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/training/runs_list.py" line="123"/>
        <source>Export run</source>
        <translation>导出训练记录</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/training/runs_list.py" line="134"/>
        <source>Export failed</source>
        <translation>导出失败</translation>
    </message>
</context>
<context>
    <name>SeriesList</name>
    <message>
        <location filename="../../explorer/ui/training/series_list.py" line="19"/>
        <source>Tick or untick a parameter to show or hide its curves</source>
        <translation>勾选或取消勾选参数，以显示或隐藏它的曲线</translation>
    </message>
</context>
<context>
    <name>SessionActions</name>
    <message>
        <location filename="../../explorer/ui/actions.py" line="30"/>
        <source>Step &amp;forward</source>
        <translation>单步前向(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/actions.py" line="31"/>
        <source>Run the network one layer (module or op) further on the current batch</source>
        <translation>在当前批次上让网络再向前运行一层（一个模块或运算）</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/actions.py" line="32"/>
        <source>&amp;Run forward</source>
        <translation>运行前向(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/actions.py" line="33"/>
        <source>Finish the forward pass</source>
        <translation>完成前向传播</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/actions.py" line="34"/>
        <source>&amp;Loss</source>
        <translation>损失(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/actions.py" line="35"/>
        <source>Compare the output with the target: loss = criterion(output, target)</source>
        <translation>把输出与目标比较：loss = criterion(output, target)</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/actions.py" line="36"/>
        <source>Step &amp;backward</source>
        <translation>单步反向(&amp;B)</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/actions.py" line="37"/>
        <source>Run one more autograd node of loss.backward(), in the order the engine runs them</source>
        <translation>按自动求导引擎实际的执行顺序，再运行 loss.backward() 的一个节点</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/actions.py" line="38"/>
        <source>Run back&amp;ward</source>
        <translation>运行反向(&amp;W)</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/actions.py" line="39"/>
        <source>Finish loss.backward()</source>
        <translation>完成 loss.backward()</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/actions.py" line="40"/>
        <source>Backward from &amp;output</source>
        <translation>从输出反向传播(&amp;O)</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/actions.py" line="41"/>
        <source>The tutorial&apos;s out.backward(torch.randn(1, 10)): backward from the output with a random gradient</source>
        <translation>教程中的 out.backward(torch.randn(1, 10))：用随机梯度从输出开始反向传播</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/actions.py" line="43"/>
        <source>&amp;Zero grad</source>
        <translation>梯度清零(&amp;Z)</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/actions.py" line="44"/>
        <source>net.zero_grad(): set every parameter&apos;s gradient to zero</source>
        <translation>net.zero_grad()：把每个参数的梯度置零</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/actions.py" line="45"/>
        <source>&amp;Update weights</source>
        <translation>更新权重(&amp;U)</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/actions.py" line="46"/>
        <source>weight = weight - learning_rate * gradient (or the chosen optimizer&apos;s step)</source>
        <translation>weight = weight - learning_rate * gradient（或所选优化器的一步更新）</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/actions.py" line="47"/>
        <source>&amp;Next batch</source>
        <translation>下一批(&amp;N)</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/actions.py" line="48"/>
        <source>Load the next mini-batch of the data set</source>
        <translation>载入数据集的下一个小批量</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/actions.py" line="49"/>
        <source>Rese&amp;t</source>
        <translation>重置(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/actions.py" line="50"/>
        <source>Fresh weights from the seed, the first batch, nothing computed</source>
        <translation>按随机种子重新初始化权重，回到第一批数据，尚未计算任何内容</translation>
    </message>
</context>
<context>
    <name>SessionMenus</name>
    <message>
        <location filename="../../explorer/ui/window/session_menus.py" line="22"/>
        <source>&amp;Digits: 1,797 handwritten 8×8 digits (classification)</source>
        <translation>手写数字(&amp;D)：1,797 张 8×8 手写数字（分类）</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/window/session_menus.py" line="23"/>
        <source>&amp;Tutorial: one random 32×32 input, target 1..10 (MSELoss)</source>
        <translation>教程(&amp;T)：一个随机 32×32 输入，目标 1..10（MSELoss）</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/window/session_menus.py" line="32"/>
        <source>The tutorial&apos;s rule: weight -= lr * gradient</source>
        <translation>教程中的规则：weight -= lr * gradient</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/window/session_menus.py" line="33"/>
        <source>SGD with momentum 0.9</source>
        <translation>带动量 0.9 的 SGD</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/window/session_menus.py" line="33"/>
        <source>Adam</source>
        <translation>Adam</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/window/session_menus.py" line="40"/>
        <source>&amp;Learning rate...</source>
        <translation>学习率(&amp;L)...</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/window/session_menus.py" line="41"/>
        <source>&amp;Batch size...</source>
        <translation>批量大小(&amp;B)...</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/window/session_menus.py" line="42"/>
        <source>&amp;Seed...</source>
        <translation>随机种子(&amp;S)...</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/window/session_menus.py" line="72"/>
        <source>New session: {0}</source>
        <translation>新会话：{0}</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/window/session_menus.py" line="84"/>
        <source>Learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/window/session_menus.py" line="84"/>
        <source>Learning rate (a new session starts):</source>
        <translation>学习率（将开始新的会话）：</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/window/session_menus.py" line="91"/>
        <source>Batch size</source>
        <translation>批量大小</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/window/session_menus.py" line="91"/>
        <source>Samples per batch (a new session starts):</source>
        <translation>每批样本数（将开始新的会话）：</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/window/session_menus.py" line="98"/>
        <source>Seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/window/session_menus.py" line="98"/>
        <source>Seed for weights, data order and random gradients:</source>
        <translation>用于初始权重、数据顺序和随机梯度的种子：</translation>
    </message>
</context>
<context>
    <name>Status</name>
    <message>
        <location filename="../../explorer/ui/phrases.py" line="15"/>
        <source>ready: batch no. {0} loaded, nothing computed yet</source>
        <translation>就绪：已载入第 {0} 批，尚未计算</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/phrases.py" line="16"/>
        <source>forward {0}/{1}: {2}</source>
        <translation>前向 {0}/{1}：{2}</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/phrases.py" line="18"/>
        <source>loss = {0:.4f} ({1})</source>
        <translation>损失 = {0:.4f}（{1}）</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/phrases.py" line="19"/>
        <source>backward {0}/{1}: {2}</source>
        <translation>反向 {0}/{1}：{2}</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/phrases.py" line="17"/>
        <source>forward {0}/{1}: {2} - forward done</source>
        <translation>前向 {0}/{1}：{2} —— 前向传播完成</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/phrases.py" line="20"/>
        <source>backward {0}/{1}: {2} - backward done</source>
        <translation>反向 {0}/{1}：{2} —— 反向传播完成</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/phrases.py" line="21"/>
        <source>weights updated ({0}, lr={1})</source>
        <translation>权重已更新（{0}，学习率={1}）</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/phrases.py" line="22"/>
        <source>prediction: {0} ({1:.0%})</source>
        <translation>预测：{0}（{1:.0%}）</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/phrases.py" line="23"/>
        <source>output: {0}</source>
        <translation>输出：{0}</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/phrases.py" line="24"/>
        <source>target: {0}</source>
        <translation>目标：{0}</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/phrases.py" line="25"/>
        <source>no target</source>
        <translation>无目标</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/window/move_messages.py" line="14"/>
        <source>Zero grad: every parameter&apos;s gradient is cleared</source>
        <translation>梯度清零：每个参数的梯度都已清除</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/window/move_messages.py" line="17"/>
        <source>Updated the weights ({0}, lr={1})</source>
        <translation>已更新权重（{0}，lr={1}）</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/window/move_messages.py" line="20"/>
        <source>Loaded batch {0}</source>
        <translation>已载入第 {0} 批</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/window/move_messages.py" line="22"/>
        <source>Reset: fresh weights from seed {0}, the first batch</source>
        <translation>已重置：由种子 {0} 重新初始化权重，回到第一批</translation>
    </message>
</context>
<context>
    <name>TensorWidget</name>
    <message>
        <location filename="../../explorer/ui/tensor/widgets.py" line="101"/>
        <source>empty: shape {0}</source>
        <translation>空张量：形状 {0}</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tensor/text.py" line="37"/>
        <source>shape {0}</source>
        <translation>形状 {0}</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tensor/text.py" line="38"/>
        <source>min {0}</source>
        <translation>最小值 {0}</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tensor/text.py" line="39"/>
        <source>max {0}</source>
        <translation>最大值 {0}</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tensor/text.py" line="40"/>
        <source>mean {0}</source>
        <translation>均值 {0}</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tensor/text.py" line="41"/>
        <source>std {0}</source>
        <translation>标准差 {0}</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tensor/text.py" line="42"/>
        <source>norm {0}</source>
        <translation>范数 {0}</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tensor/text.py" line="43"/>
        <source>zeros {0:.1%}</source>
        <translation>零值 {0:.1%}</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tensor/text.py" line="44"/>
        <source>NaN or Inf {0}</source>
        <translation>NaN 或 Inf {0}</translation>
    </message>
</context>
<context>
    <name>TrainModeAction</name>
    <message>
        <location filename="../../explorer/ui/window/train_mode.py" line="15"/>
        <source>Train &amp;mode (dropout on, batch norm uses the batch)</source>
        <translation>训练模式(&amp;M)（启用 dropout，批归一化使用本批统计）</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/window/train_mode.py" line="17"/>
        <source>Off: eval mode, as model.eval() sets it; Train always trains in training mode and gives the model back in this one</source>
        <translation>关闭：评估模式，与 model.eval() 相同；训练始终在训练模式下进行，结束后模型回到此模式</translation>
    </message>
</context>
<context>
    <name>TrainingActions</name>
    <message>
        <location filename="../../explorer/ui/training/actions.py" line="38"/>
        <source>&amp;Train</source>
        <translation>训练(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/training/actions.py" line="39"/>
        <source>Train from the current weights with the Training panel&apos;s settings (the curves start over)</source>
        <translation>从当前权重开始，按“训练”面板的设置训练（曲线重新开始）</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/training/actions.py" line="43"/>
        <source>&amp;Pause</source>
        <translation>暂停(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/training/actions.py" line="44"/>
        <source>Pause after the current step; every panel then shows the weights as they are</source>
        <translation>在当前这一步之后暂停；之后每个面板都显示此刻的权重</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/training/actions.py" line="48"/>
        <source>Res&amp;ume</source>
        <translation>继续(&amp;U)</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/training/actions.py" line="49"/>
        <source>Go on training where the run paused (with the learning rate now in the panel)</source>
        <translation>从暂停处继续训练（使用面板中当前的学习率）</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/training/actions.py" line="53"/>
        <source>St&amp;op</source>
        <translation>停止(&amp;O)</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/training/actions.py" line="54"/>
        <source>End the run; the weights keep what it trained</source>
        <translation>结束这次训练；权重保留已训练的结果</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/training/actions.py" line="57"/>
        <source>One &amp;step</source>
        <translation>单步(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/training/actions.py" line="58"/>
        <source>One optimizer step (zero_grad, forward, loss, backward, step) on the next batch, then pause</source>
        <translation>在下一个批次上执行一次优化器步（zero_grad、前向、损失、反向、step），然后暂停</translation>
    </message>
</context>
<context>
    <name>TrainingDock</name>
    <message>
        <location filename="../../explorer/ui/training/dock.py" line="48"/>
        <source>Training</source>
        <translation>训练</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/training/dock.py" line="62"/>
        <location filename="../../explorer/ui/training/dock.py" line="156"/>
        <source>Set the hyperparameters and press Train.</source>
        <translation>设置好超参数后按“训练”。</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/training/dock.py" line="76"/>
        <source>tutorial&apos;s rule: w -= lr · grad</source>
        <translation>教程中的规则：w -= lr · grad</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/training/dock.py" line="76"/>
        <source>SGD, momentum 0.9</source>
        <translation>SGD，动量 0.9</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/training/dock.py" line="77"/>
        <source>Adam</source>
        <translation>Adam</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/training/dock.py" line="84"/>
        <source>Learning rate. While paused it can be changed: Resume uses the new value.</source>
        <translation>学习率。暂停时可以修改：按“继续”后使用新值。</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/training/dock.py" line="91"/>
        <source>steps</source>
        <translation>步</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/training/dock.py" line="91"/>
        <source>epochs</source>
        <translation>轮</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/training/dock.py" line="98"/>
        <source>Seed of the batch order (the weights are the ones the model has now)</source>
        <translation>批次顺序的随机种子（权重沿用模型当前的权重）</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/training/dock.py" line="99"/>
        <source>Optimizer</source>
        <translation>优化器</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/training/dock.py" line="100"/>
        <source>Learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/training/dock.py" line="101"/>
        <source>Batch size</source>
        <translation>批量大小</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/training/dock.py" line="102"/>
        <source>Train for</source>
        <translation>训练时长</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/training/dock.py" line="103"/>
        <source>Seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/training/dock.py" line="127"/>
        <location filename="../../explorer/ui/training/dock.py" line="154"/>
        <source>no run yet</source>
        <translation>尚未训练</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/training/dock.py" line="168"/>
        <source>step %v of %m</source>
        <translation>第 %v 步，共 %m 步</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/training/dock.py" line="170"/>
        <source>{0:,.0f} steps/s</source>
        <translation>{0:,.0f} 步/秒</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/training/dock.py" line="173"/>
        <source>Training...</source>
        <translation>正在训练...</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/training/dock.py" line="173"/>
        <source>Paused.</source>
        <translation>已暂停。</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/training/dock.py" line="176"/>
        <source>{0:,} steps in {1}.</source>
        <translation>用时 {1}，共 {0:,} 步。</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/training/dock.py" line="196"/>
        <source>step %v of %m · {0:,.0f} steps/s · {1} left</source>
        <translation>第 %v 步，共 %m 步 · {0:,.0f} 步/秒 · 剩余 {1}</translation>
    </message>
</context>
<context>
    <name>TrainingPlotsDock</name>
    <message>
        <location filename="../../explorer/ui/training/plots.py" line="48"/>
        <source>Training curves</source>
        <translation>训练曲线</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/training/plots.py" line="67"/>
        <source>Loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/training/plots.py" line="67"/>
        <source>loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/training/plots.py" line="68"/>
        <source>per step</source>
        <translation>每步</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/training/plots.py" line="68"/>
        <source>smoothed</source>
        <translation>平滑后</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/training/plots.py" line="71"/>
        <source>Accuracy</source>
        <translation>准确率</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/training/plots.py" line="71"/>
        <source>accuracy</source>
        <translation>准确率</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/training/plots.py" line="73"/>
        <source>train (epoch mean)</source>
        <translation>训练集（每轮均值）</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/training/plots.py" line="73"/>
        <source>test</source>
        <translation>测试集</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/training/plots.py" line="80"/>
        <source>accuracy needs a classification data set</source>
        <translation>准确率需要分类数据集</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/training/plots.py" line="81"/>
        <source>Dead ReLU units</source>
        <translation>死亡 ReLU 单元</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/training/plots.py" line="81"/>
        <source>fraction dead</source>
        <translation>死亡比例</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/training/plots.py" line="83"/>
        <source>no ReLU seen in this model</source>
        <translation>此模型中没有 ReLU</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/training/plots.py" line="84"/>
        <source>Gradient norm per parameter</source>
        <translation>各参数的梯度范数</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/training/plots.py" line="86"/>
        <source>Update / weight per step</source>
        <translation>每步的更新量 / 权重</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/training/plots.py" line="101"/>
        <source>Gradients over time</source>
        <translation>梯度随时间的变化</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/training/plots.py" line="101"/>
        <source>gradient value</source>
        <translation>梯度值</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/training/plots.py" line="102"/>
        <source>Activations over time</source>
        <translation>激活值随时间的变化</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/training/plots.py" line="102"/>
        <source>activation value</source>
        <translation>激活值</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/training/plots.py" line="117"/>
        <source>The loss of every step&apos;s batch (light) and its exponential moving average (dark). It should fall; on the tutorial&apos;s data it falls toward 0.</source>
        <translation>每一步批次的损失（浅色）及其指数移动平均（深色）。它应当下降；在教程的数据上会降向 0。</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/training/plots.py" line="119"/>
        <source>Train: the mean accuracy of the batches measured in each epoch. Test: the whole test split, at epoch ends (as many as {0} of the time allows) and at the end of the run.</source>
        <translation>训练集：每一轮中被测量批次的平均准确率。测试集：在轮次结束时（在 {0} 的时间预算内尽量多评估）以及训练结束时，对整个测试集的评估。</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/training/plots.py" line="212"/>
        <source>The run in the checkpoint cannot be shown</source>
        <translation>无法显示检查点中的训练记录</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/training/plots.py" line="306"/>
        <source>Measured so far: gradient norms and batch accuracy on {0:,} of {2:,} steps; histograms, update ratios and dead ReLUs on {1:,}. Each is measured {3:g} times a second of training (on every step when steps are slower) while that takes at most {4} of the training time; where it would take more, less often.</source>
        <translation>目前已测量：{2:,} 步中有 {0:,} 步测量了梯度范数和批次准确率；{1:,} 步测量了直方图、更新比例和死亡 ReLU。每项每秒训练时间测量 {3:g} 次（训练步更慢时每步都测），前提是所用时间不超过训练时间的 {4}；否则测得更少。</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/training/plots.py" line="122"/>
        <source>For each ReLU, the share of its units that output 0 for every sample of a sampled batch. Units that stay dead stop learning.</source>
        <translation>对每个 ReLU：在抽样批次的所有样本上都输出 0 的单元所占的比例。一直死亡的单元不再学习。</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/training/plots.py" line="124"/>
        <source>The L2 norm of each parameter&apos;s gradient (log scale). Tick parameters in the list to show or hide them.</source>
        <translation>每个参数梯度的 L2 范数（对数坐标）。在列表中勾选参数以显示或隐藏。</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/training/plots.py" line="126"/>
        <source>How far one update moved each parameter, relative to its size. The green band around 1e-3 is the usual healthy range (cs231n); far above it the learning rate is too high, far below too low.</source>
        <translation>一次更新让每个参数移动了多少（相对于参数本身的大小）。1e-3 附近的绿色带是通常健康的范围（cs231n）；远高于它说明学习率太大，远低于它说明太小。</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/training/plots.py" line="144"/>
        <source>Press Train (F5) to start.</source>
        <translation>按“训练”（F5）开始。</translation>
    </message>
</context>
<context>
    <name>Tutorial</name>
    <message>
        <location filename="../../explorer/ui/tutorial/steps.py" line="82"/>
        <source>Define the network</source>
        <translation>定义网络</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tutorial/steps.py" line="91"/>
        <source>Its learnable parameters</source>
        <translation>可学习的参数</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tutorial/steps.py" line="92"/>
        <source>&lt;code&gt;net.parameters()&lt;/code&gt; returns the learnable tensors: a weight and a bias for each of the five layers, so 10 tensors. The first, conv1&apos;s weight, holds 6 filters of 1×5×5: the inspector shows them as six small images.</source>
        <translation>&lt;code&gt;net.parameters()&lt;/code&gt; 返回可学习的张量：五层各有一个权重和一个偏置，共 10 个张量。第一个是 conv1 的权重，包含 6 个 1×5×5 的卷积核：检查器把它们显示为六张小图。</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tutorial/steps.py" line="98"/>
        <source>A random input, forward</source>
        <translation>随机输入，前向传播</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tutorial/steps.py" line="99"/>
        <source>A random 32×32 image goes through the network. The &lt;b&gt;Activations&lt;/b&gt; panel shows what every layer made of it, down to the 10 outputs. Use &lt;b&gt;Step forward&lt;/b&gt; (F10) to watch it one layer at a time.</source>
        <translation>一张随机的 32×32 图像经过网络。&lt;b&gt;激活值&lt;/b&gt;面板显示每一层对它的处理结果，直到最后的 10 个输出。用&lt;b&gt;单步前向&lt;/b&gt;（F10）可以一层一层地观察。</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tutorial/steps.py" line="105"/>
        <source>zero_grad, then backward with a random gradient</source>
        <translation>梯度清零，再用随机梯度反向传播</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tutorial/steps.py" line="113"/>
        <source>Mini-batches</source>
        <translation>小批量</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tutorial/steps.py" line="114"/>
        <source>torch.nn only takes mini-batches: nn.Conv2d wants a 4-D tensor &lt;i&gt;nSamples × nChannels × Height × Width&lt;/i&gt;. One image of 1×32×32 becomes a batch of one with &lt;code&gt;input.unsqueeze(0)&lt;/code&gt;: 1×1×32×32, the shape the network saw above.</source>
        <translation>torch.nn 只支持小批量输入：nn.Conv2d 需要一个 4 维张量 &lt;i&gt;nSamples × nChannels × Height × Width&lt;/i&gt;。一张 1×32×32 的图像用 &lt;code&gt;input.unsqueeze(0)&lt;/code&gt; 变成大小为 1 的批量：1×1×32×32，也就是上面网络看到的形状。</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tutorial/steps.py" line="120"/>
        <source>The loss function</source>
        <translation>损失函数</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tutorial/steps.py" line="128"/>
        <source>Every tensor made by an operation remembers it in &lt;code&gt;grad_fn&lt;/code&gt;; &lt;code&gt;next_functions&lt;/code&gt; leads to the operations before it. From the loss: MseLossBackward0 → AddmmBackward0 (fc3, the last linear layer) → ReluBackward0. The graph shows the whole chain, down to the AccumulateGrad nodes that write each parameter&apos;s .grad. The page, written for an older PyTorch, reached the ReLU with &lt;code&gt;[0][0]&lt;/code&gt;; today AddmmBackward0&apos;s first input is fc3.bias&apos;s AccumulateGrad, and the ReLU is &lt;code&gt;[1][0]&lt;/code&gt;.</source>
        <translation>由运算得到的每个张量都在 &lt;code&gt;grad_fn&lt;/code&gt; 中记着这个运算；&lt;code&gt;next_functions&lt;/code&gt; 通向它之前的运算。从损失出发：MseLossBackward0 → AddmmBackward0（fc3，最后一个全连接层）→ ReluBackward0。计算图显示整条链，直到写入各参数 .grad 的 AccumulateGrad 节点。教程页面是为较旧的 PyTorch 写的，用 &lt;code&gt;[0][0]&lt;/code&gt; 到达 ReLU；如今 AddmmBackward0 的第一个输入是 fc3.bias 的 AccumulateGrad，ReLU 在 &lt;code&gt;[1][0]&lt;/code&gt;。</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tutorial/steps.py" line="138"/>
        <source>Clear the old gradients first: gradients add up across backward passes. Today &lt;code&gt;net.zero_grad()&lt;/code&gt; sets every .grad to &lt;b&gt;None&lt;/b&gt; (the default since PyTorch 2.0; the page printed zeros, which &lt;code&gt;net.zero_grad(set_to_none=False)&lt;/code&gt; still gives): None frees the memory and the next backward writes the gradient afresh, where zeros would be added to.</source>
        <translation>先清除旧梯度：多次 backward 的梯度会累加。如今 &lt;code&gt;net.zero_grad()&lt;/code&gt; 把每个 .grad 设为 &lt;b&gt;None&lt;/b&gt;（PyTorch 2.0 起的默认行为；教程页面打印的是零，&lt;code&gt;net.zero_grad(set_to_none=False)&lt;/code&gt; 仍然给出零）：None 释放内存，下一次 backward 重新写入梯度，而零则会被累加上去。</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tutorial/steps.py" line="83"/>
        <source>A network is an &lt;b&gt;nn.Module&lt;/b&gt; with layers as attributes and a &lt;b&gt;forward&lt;/b&gt; method. Two convolution layers turn the 32×32 image into 16 feature maps of 5×5; three fully connected layers map those 400 numbers to 10 outputs. autograd writes &lt;b&gt;backward&lt;/b&gt; for you. The &lt;b&gt;Model&lt;/b&gt; panel shows the module tree exactly as &lt;code&gt;print(net)&lt;/code&gt; prints it.</source>
        <translation>网络是一个 &lt;b&gt;nn.Module&lt;/b&gt;：各层是它的属性，再加上一个 &lt;b&gt;forward&lt;/b&gt; 方法。两个卷积层把 32×32 的图像变成 16 张 5×5 的特征图；三个全连接层把这 400 个数映射为 10 个输出。&lt;b&gt;backward&lt;/b&gt; 函数由 autograd 自动实现。&lt;b&gt;模型&lt;/b&gt;面板显示的模块树与 &lt;code&gt;print(net)&lt;/code&gt; 的输出完全一致。</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tutorial/steps.py" line="106"/>
        <source>&lt;code&gt;net.zero_grad()&lt;/code&gt; clears the gradients of every parameter; &lt;code&gt;out.backward(g)&lt;/code&gt; then sends a random gradient back through the network. The &lt;b&gt;Autograd graph&lt;/b&gt; shows each node that ran, ticked in green.</source>
        <translation>&lt;code&gt;net.zero_grad()&lt;/code&gt; 把所有参数的梯度缓存清零；&lt;code&gt;out.backward(g)&lt;/code&gt; 再把一个随机梯度沿网络反向传播。&lt;b&gt;自动求导计算图&lt;/b&gt;中已经运行过的节点会打上绿色对勾。</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tutorial/steps.py" line="121"/>
        <source>A loss function takes (output, target) and says how far the output is from the target. Here the target is 1, 2, ..., 10 and the loss is the mean squared error &lt;code&gt;nn.MSELoss&lt;/code&gt;. Computing it adds its node to the autograd graph.</source>
        <translation>损失函数接收 (output, target) 这一对输入，计算输出与目标之间的距离。这里的目标是 1, 2, ..., 10，损失是均方误差 &lt;code&gt;nn.MSELoss&lt;/code&gt;。计算损失会在自动求导计算图中加入它的节点。</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tutorial/steps.py" line="127"/>
        <source>Follow loss.grad_fn backwards</source>
        <translation>沿 loss.grad_fn 反向追踪</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tutorial/steps.py" line="137"/>
        <source>conv1.bias.grad before backward</source>
        <translation>反向传播前的 conv1.bias.grad</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tutorial/steps.py" line="146"/>
        <source>conv1.bias.grad after backward</source>
        <translation>反向传播后的 conv1.bias.grad</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tutorial/steps.py" line="147"/>
        <source>&lt;code&gt;loss.backward()&lt;/code&gt; runs the graph from the loss to every parameter. conv1.bias is written last: step through it with &lt;b&gt;Step backward&lt;/b&gt; (F11) and watch the gradient appear when its AccumulateGrad node runs.</source>
        <translation>&lt;code&gt;loss.backward()&lt;/code&gt; 从损失出发把计算图一直运行到每个参数。conv1.bias 最后被写入：用&lt;b&gt;单步反向&lt;/b&gt;（F11）逐步执行，看它的 AccumulateGrad 节点运行时梯度如何出现。</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tutorial/steps.py" line="154"/>
        <source>The chain rule at one node</source>
        <translation>一个节点上的链式法则</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tutorial/steps.py" line="155"/>
        <source>backward runs the chain rule one node at a time. fc3 computed &lt;i&gt;y = x · Wᵀ + b&lt;/i&gt;, so its node &lt;b&gt;AddmmBackward0&lt;/b&gt; turns the gradient that came in, &lt;i&gt;dL/dy&lt;/i&gt; (10 numbers), into &lt;i&gt;dL/dx = dL/dy · W&lt;/i&gt; for fc3&apos;s input, &lt;i&gt;dL/dW = (dL/dy)ᵀ · x&lt;/i&gt; and &lt;i&gt;dL/db = dL/dy&lt;/i&gt;. The Inspector&apos;s &lt;b&gt;Chain rule&lt;/b&gt; view writes the rule out, lists the tensors autograd saved for it (x from the ReLU, W from fc3.weight) and works one element of &lt;i&gt;dL/dx&lt;/i&gt; with the real numbers: each term &lt;i&gt;dL/dy[0, j] · W[j, i]&lt;/i&gt;, the largest listed, the rest summed. Click any cell of a gradient to work that element; &lt;b&gt;Check numerically&lt;/b&gt; moves it by ±ε and compares.</source>
        <translation>backward 一次在一个节点上运用链式法则。fc3 计算了 &lt;i&gt;y = x · Wᵀ + b&lt;/i&gt;，所以它的节点 &lt;b&gt;AddmmBackward0&lt;/b&gt; 把传入的梯度 &lt;i&gt;dL/dy&lt;/i&gt;（10 个数）变成 fc3 输入的梯度 &lt;i&gt;dL/dx = dL/dy · W&lt;/i&gt;、&lt;i&gt;dL/dW = (dL/dy)ᵀ · x&lt;/i&gt; 和 &lt;i&gt;dL/db = dL/dy&lt;/i&gt;。检查器的&lt;b&gt;链式法则&lt;/b&gt;视图写出这条规则，列出自动求导为它保存的张量（x 来自 ReLU，W 来自 fc3.weight），并用真实的数逐项算出 &lt;i&gt;dL/dx&lt;/i&gt; 的一个元素：每一项 &lt;i&gt;dL/dy[0, j] · W[j, i]&lt;/i&gt;，列出最大的几项，其余求和。点击梯度中的任意格子可逐项计算该元素；&lt;b&gt;进行数值检查&lt;/b&gt;把它移动 ±ε 并作比较。</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tutorial/steps.py" line="174"/>
        <source>Update the weights</source>
        <translation>更新权重</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tutorial/steps.py" line="175"/>
        <source>The simplest rule, stochastic gradient descent: &lt;code&gt;weight = weight - learning_rate * gradient&lt;/code&gt;. The inspector shows each parameter before and after, and the change, which is −0.01 × the gradient.</source>
        <translation>最简单的更新规则是随机梯度下降：&lt;code&gt;weight = weight - learning_rate * gradient&lt;/code&gt;。检查器显示每个参数更新前后的值以及变化量，也就是 −0.01 × 梯度。</translation>
    </message>
</context>
<context>
    <name>TutorialDock</name>
    <message>
        <location filename="../../explorer/ui/tutorial/dock.py" line="73"/>
        <source>Guided tutorial</source>
        <translation>引导教程</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tutorial/dock.py" line="115"/>
        <source>Run this step</source>
        <translation>运行这一步</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tutorial/dock.py" line="116"/>
        <source>Run the code above in the app (from wherever the step stands now)</source>
        <translation>在应用中运行上面的代码（无论当前进行到哪一步）</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tutorial/dock.py" line="117"/>
        <source>Show me</source>
        <translation>给我看</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tutorial/dock.py" line="118"/>
        <source>Bring forward the panel that shows the result</source>
        <translation>把显示结果的面板调到前面</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tutorial/dock.py" line="119"/>
        <source>Start over</source>
        <translation>从头开始</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tutorial/dock.py" line="120"/>
        <source>Back to the first step</source>
        <translation>回到第一步</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tutorial/dock.py" line="123"/>
        <source>This walk follows the Chinese edition of the page: its Net has fc1 400→1200 (the English page has 120) and its target is 1, 2, ..., 10 (the English page uses a random one). So the walk switches the data to &lt;b&gt;tutorial&lt;/b&gt;: one random 1×32×32 input, that target, MSELoss and the plain update rule with lr 0.01.</source>
        <translation>本引导按照该页面的中文版：其中 Net 的 fc1 是 400→1200（英文版为 120），目标是 1, 2, ..., 10（英文版用随机目标）。因此引导会把数据切换为 &lt;b&gt;tutorial&lt;/b&gt;：一个随机的 1×32×32 输入、上述目标、MSELoss，以及学习率 0.01 的朴素更新规则。</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tutorial/dock.py" line="129"/>
        <source>&lt; Back</source>
        <translation>&lt; 上一步</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tutorial/dock.py" line="130"/>
        <source>Next &gt;</source>
        <translation>下一步 &gt;</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tutorial/dock.py" line="148"/>
        <source>In PyTorch:</source>
        <translation>在 PyTorch 中：</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tutorial/dock.py" line="150"/>
        <source>It prints (run just now on the app&apos;s model):</source>
        <translation>它的输出（刚刚在本应用的模型上运行）：</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tutorial/dock.py" line="152"/>
        <source>In this app, just now:</source>
        <translation>在本应用中，刚才的结果：</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tutorial/dock.py" line="237"/>
        <source>Step {0} of {1}</source>
        <translation>第 {0} 步，共 {1} 步</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tutorial/dock.py" line="273"/>
        <source>Press &lt;b&gt;Run this step&lt;/b&gt;.</source>
        <translation>请按&lt;b&gt;运行这一步&lt;/b&gt;。</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tutorial/dock.py" line="283"/>
        <source>{0}: {1} parameter tensors, {2} numbers; params[0] ({3}) is {4}</source>
        <translation>{0}：{1} 个参数张量，共 {2} 个数；params[0]（{3}）的形状是 {4}</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tutorial/dock.py" line="291"/>
        <source>backward ran {0} autograd nodes, from the output to every parameter</source>
        <translation>反向传播运行了 {0} 个自动求导节点，从输出一直到每个参数</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tutorial/dock.py" line="295"/>
        <source>one sample: {0}; the batch the network sees: 1×{0}</source>
        <translation>单个样本：{0}；网络看到的批量：1×{0}</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tutorial/dock.py" line="297"/>
        <source>loss = {0:.4f}</source>
        <translation>损失 = {0:.4f}</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tutorial/dock.py" line="315"/>
        <source>(the other {0} terms: {1})</source>
        <translation>（其余 {0} 项：{1}）</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tutorial/dock.py" line="317"/>
        <source>autograd: {0:.6g}</source>
        <translation>自动求导：{0:.6g}</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tutorial/dock.py" line="319"/>
        <source>numeric check (L(x+ε) − L(x−ε)) / 2ε = {0:.6g}, relative error {1:.2g}</source>
        <translation>数值检查 (L(x+ε) − L(x−ε)) / 2ε = {0:.6g}，相对误差 {1:.2g}</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tutorial/dock.py" line="334"/>
        <source>conv1.bias.grad = {0}</source>
        <translation>conv1.bias.grad = {0}</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/tutorial/dock.py" line="336"/>
        <source>change of conv1.bias = {0}</source>
        <translation>conv1.bias 的变化量 = {0}</translation>
    </message>
</context>
<context>
    <name>TutorialLink</name>
    <message>
        <location filename="../../explorer/ui/window/tutorial_link.py" line="49"/>
        <source>Training paused to run the tutorial&apos;s step.</source>
        <translation>训练已暂停，以运行教程的这一步。</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/window/tutorial_link.py" line="53"/>
        <source>The guided walk switched to the page&apos;s own setup: data &apos;tutorial&apos; (one random input, target 1..10), MSELoss, the plain update rule, lr 0.01</source>
        <translation>引导教程已切换到页面自己的设置：数据“tutorial”（一个随机输入，目标 1..10）、MSELoss、朴素更新规则、学习率 0.01</translation>
    </message>
</context>
<context>
    <name>WindowSettings</name>
    <message>
        <location filename="../../explorer/ui/window/settings_io.py" line="38"/>
        <source>{0} unreadable entries</source>
        <translation>{0} 个无法读取的条目</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/window/settings_io.py" line="39"/>
        <source>Bad settings reset to their defaults: {0}</source>
        <translation>错误的设置已恢复为默认值：{0}</translation>
    </message>
</context>
<context>
    <name>show</name>
    <message>
        <location filename="../../explorer/ui/show.py" line="41"/>
        <source>explorer - {0}</source>
        <translation>explorer - {0}</translation>
    </message>
    <message>
        <location filename="../../explorer/ui/show.py" line="67"/>
        <source>Cannot open this model</source>
        <translation>无法打开此模型</translation>
    </message>
</context>
</TS>
